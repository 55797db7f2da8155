'use client';

import { useEffect, useRef, type ReactNode } from 'react';
import { cn } from './cn';

/**
 * Brings a new result into view and moves focus to it, so that after Get token or Send a keyboard or screen-reader
 * user lands on what came back instead of the page body. `result` is the answer itself: a new answer focuses once;
 * the same answer shown again (the selection changed and came back) does not steal focus.
 */
export function useFocusResult<E extends HTMLElement>(result: unknown) {
  const ref = useRef<E>(null);
  const focusedFor = useRef<unknown>(null);
  useEffect(() => {
    if (result === null || result === undefined || result === focusedFor.current) return;
    focusedFor.current = result;
    const element = ref.current;
    if (!element) return;
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [result]);
  return ref;
}

/** A region that takes focus when `result` is new (see useFocusResult): a token, a response. */
export function ResultRegion({ result, label, className, children, ...rest }: { result: unknown; label: string; className?: string; children: ReactNode; id?: string; 'data-testid'?: string }) {
  const ref = useFocusResult<HTMLDivElement>(result);
  return (
    <div ref={ref} tabIndex={-1} aria-label={label} className={cn('scroll-mt-16 outline-none focus-visible:ring-2 focus-visible:ring-indigo-500', className)} {...rest}>
      {children}
    </div>
  );
}
