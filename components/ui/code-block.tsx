import type { ReactNode } from 'react';
import { cn } from './cn';

export interface CodeBlockProps {
  children: ReactNode;
  className?: string;
  /** Caps the height and scrolls; default 24rem. */
  maxHeightClass?: string;
  'data-testid'?: string;
}

export function CodeBlock({ children, className, maxHeightClass = 'max-h-96', ...rest }: CodeBlockProps) {
  return (
    <pre
      className={cn(
        'overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs leading-5 break-words whitespace-pre-wrap text-zinc-800',
        maxHeightClass,
        className,
      )}
      {...rest}
    >
      {children}
    </pre>
  );
}
