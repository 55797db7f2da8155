import { Breakable } from '@/components/ui/breakable';
import type { ReactNode } from 'react';
import { cn } from './cn';

export interface KeyValueItem {
  label: ReactNode;
  value: ReactNode;
  /** Monospace value. */
  mono?: boolean;
}

/** A dense two-column description list. */
export function KeyValueList({ items, className }: { items: KeyValueItem[]; className?: string }) {
  return (
    <dl className={cn('grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-xs', className)}>
      {items.map((item, index) => (
        <div key={index} className="contents">
          <dt className="text-zinc-600">{item.label}</dt>
          <dd className={cn('min-w-0 text-zinc-900', item.mono ? 'font-mono wrap-anywhere' : 'break-words')}>
            {item.mono && typeof item.value === 'string' ? <Breakable text={item.value} /> : item.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
