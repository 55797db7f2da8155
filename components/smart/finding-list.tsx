import { Badge, type BadgeTone } from '@/components/ui/badge';
import { cn } from '@/components/ui/cn';
import { sortFindings } from './provider-form';

export interface FindingItem {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  fix?: string;
  field?: string;
  source?: string;
}

const tone: Record<FindingItem['severity'], BadgeTone> = { error: 'red', warning: 'amber', info: 'blue' };
const box: Record<FindingItem['severity'], string> = {
  error: 'border-red-200 bg-red-50/60 text-red-900',
  warning: 'border-amber-200 bg-amber-50/60 text-amber-900',
  info: 'border-sky-200 bg-sky-50/50 text-sky-900',
};

/** Findings, errors first: red will fail, amber may fail, blue is worth knowing. */
export function FindingList({ findings, className, ...rest }: { findings: readonly FindingItem[]; className?: string; 'data-testid'?: string }) {
  return (
    <ul className={cn('space-y-1.5', className)} {...rest}>
      {sortFindings(findings).map((f, index) => (
        <li
          key={`${f.code}-${index}`}
          data-severity={f.severity}
          data-code={f.code}
          className={cn('rounded-lg border px-3 py-2 text-xs leading-5', box[f.severity])}
        >
          <div className="flex flex-wrap items-center gap-1.5">
            <Badge tone={tone[f.severity]} dot>
              {f.severity}
            </Badge>
            {/* Solid secondary text: a faded one fell below 4.5:1 on the tinted boxes (axe color-contrast). */}
            <code className="font-mono text-xs text-zinc-700">{f.code}</code>
            {f.field && <span className="font-mono text-xs text-zinc-600">· {f.field}</span>}
            {f.source && <span className="text-xs text-zinc-600">· {f.source}</span>}
          </div>
          <p className="mt-1">{f.message}</p>
          {f.fix && (
            <p className="mt-0.5">
              <span className="font-semibold">Fix: </span>
              {f.fix}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

/** `2 errors · 1 warning` badges. */
export function FindingCounts({ counts }: { counts: Record<FindingItem['severity'], number> }) {
  const parts = (['error', 'warning', 'info'] as const).filter((s) => counts[s] > 0);
  if (parts.length === 0) {
    return (
      <Badge tone="green" dot>
        no problems found
      </Badge>
    );
  }
  return (
    <span className="inline-flex flex-wrap gap-1">
      {parts.map((s) => (
        <Badge key={s} tone={tone[s]} dot>
          {counts[s]} {s === 'info' ? 'note' : s}
          {counts[s] === 1 ? '' : 's'}
        </Badge>
      ))}
    </span>
  );
}
