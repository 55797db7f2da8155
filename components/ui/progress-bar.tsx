import { cn } from './cn';

export interface ProgressBarProps {
  /** 0–100; null for an indeterminate bar. */
  value: number | null;
  label: string;
  tone?: 'indigo' | 'green' | 'amber' | 'red';
  className?: string;
  'data-testid'?: string;
}

const fills = {
  indigo: 'bg-indigo-500',
  green: 'bg-emerald-500',
  amber: 'bg-amber-500',
  red: 'bg-red-500',
} as const;

export function ProgressBar({ value, label, tone = 'indigo', className, ...rest }: ProgressBarProps) {
  const clamped = value === null ? null : Math.min(100, Math.max(0, value));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped ?? undefined}
      className={cn('relative h-1.5 w-full overflow-hidden rounded-full bg-zinc-100', className)}
      {...rest}
    >
      {clamped === null ? (
        <div className={cn('absolute inset-y-0 w-1/3 animate-[indeterminate_1.2s_ease-in-out_infinite] rounded-full', fills[tone])} />
      ) : (
        <div
          className={cn('h-full rounded-full transition-[width] duration-500 ease-out', fills[tone])}
          style={{ width: `${clamped}%` }}
        />
      )}
    </div>
  );
}
