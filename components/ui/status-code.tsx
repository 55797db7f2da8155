import { cn } from './cn';

/** Tailwind classes for an HTTP status: 2xx green, 3xx blue, 4xx amber, 5xx red, none grey. */
export function statusTone(status: number | null | undefined): string {
  if (status === null || status === undefined) return 'bg-zinc-100 text-zinc-600 ring-zinc-200';
  if (status >= 500) return 'bg-red-50 text-red-700 ring-red-200';
  if (status >= 400) return 'bg-amber-50 text-amber-800 ring-amber-200';
  if (status >= 300) return 'bg-sky-50 text-sky-700 ring-sky-200';
  if (status >= 200) return 'bg-emerald-50 text-emerald-700 ring-emerald-200';
  return 'bg-zinc-100 text-zinc-600 ring-zinc-200';
}

export function StatusCode({
  status,
  text,
  className,
}: {
  status: number | null | undefined;
  text?: string;
  className?: string;
}) {
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 font-mono text-xs leading-4 font-semibold ring-1 ring-inset',
        statusTone(status),
        className,
      )}
    >
      {status ?? '—'}
      {text && <span className="font-sans font-medium">{text}</span>}
    </span>
  );
}
