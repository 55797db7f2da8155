import type { ReactNode } from 'react';
import { cn } from './cn';

export function EmptyState({ title, children, className }: { title: string; children?: ReactNode; className?: string }) {
  return (
    <div className={cn('rounded-lg border border-dashed border-zinc-300 bg-zinc-50/50 px-4 py-6 text-center', className)}>
      <p className="text-sm font-medium text-zinc-700">{title}</p>
      {children && <div className="mx-auto mt-1 max-w-md text-xs text-zinc-600">{children}</div>}
    </div>
  );
}
