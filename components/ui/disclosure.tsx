import type { ReactNode, Ref } from 'react';
import { cn } from './cn';

export interface DisclosureProps {
  summary: ReactNode;
  children: ReactNode;
  defaultOpen?: boolean;
  className?: string;
  summaryClassName?: string;
  /** For a caller that opens it on the user's behalf (the request editor after "Add the header"). */
  ref?: Ref<HTMLDetailsElement>;
}

/** A native <details>: keyboard accessible, and its content stays in the DOM (searchable with Ctrl+F). */
export function Disclosure({ summary, children, defaultOpen = false, className, summaryClassName, ref }: DisclosureProps) {
  return (
    <details ref={ref} open={defaultOpen} className={className}>
      <summary
        className={cn(
          'flex cursor-pointer list-none items-center gap-1.5 text-xs font-medium text-zinc-600 select-none hover:text-zinc-900 [&::-webkit-details-marker]:hidden',
          summaryClassName,
        )}
      >
        <Chevron />
        {summary}
      </summary>
      <div className="mt-2">{children}</div>
    </details>
  );
}

/** Rotates when its <details> is open; must be a direct child of the <summary>. */
export function Chevron({ className }: { className?: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 16 16"
      className={cn('size-3 shrink-0 text-zinc-600 transition-transform [details[open]>summary>&]:rotate-90', className)}
      fill="none"
    >
      <path d="M6 4l4 4-4 4" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
