import type { HTMLAttributes, ReactNode } from 'react';
import { cn } from './cn';
import { StepNumber } from './step-number';

export interface CardProps extends Omit<HTMLAttributes<HTMLElement>, 'title'> {
  title?: ReactNode;
  description?: ReactNode;
  /** Right-aligned in the header: buttons, badges. */
  actions?: ReactNode;
  /** A step number shown before the title. */
  step?: number;
  /** Removes the body padding, for tables that run edge to edge. */
  flush?: boolean;
}

export function Card({ title, description, actions, step, flush = false, className, children, ...rest }: CardProps) {
  const hasHeader = title !== undefined || actions !== undefined;
  return (
    <section
      className={cn('min-w-0 rounded-xl border border-zinc-200 bg-white shadow-xs', className)}
      {...rest}
    >
      {hasHeader && (
        <header className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-4 py-3">
          {/* At least 12rem for the title: on a phone the actions go below it rather than squeeze it a word a line. */}
          <div className="flex min-w-48 flex-1 items-start gap-2.5">
            {step !== undefined && (
              <StepNumber step={step} className="mt-px" />
            )}
            <div className="min-w-0">
              {title !== undefined && <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>}
              {description !== undefined && <p className="mt-0.5 text-xs text-zinc-600">{description}</p>}
            </div>
          </div>
          {actions !== undefined && <div className="flex max-w-full shrink-0 flex-wrap items-center gap-2">{actions}</div>}
        </header>
      )}
      <div className={cn(!flush && 'p-4')}>{children}</div>
    </section>
  );
}
