'use client';

import { formatCountdown } from '@/components/jwt/countdown-utils';
import { useServerNow } from '@/components/jwt/use-server-now';
import { ProgressBar } from '@/components/ui/progress-bar';
import { formatClockTime } from '@/lib/client/relative-time';
import type { BulkProgress as Progress } from '@/lib/client/bulk-export';

export interface BulkProgressProps {
  progress: Progress;
  tone: 'indigo' | 'green' | 'amber' | 'red';
  /** Browser time of the kick-off. */
  startedAt: number;
  /** Browser time the job settled; the elapsed clock stops there. */
  settledAt: number | null;
  /** Browser time of the last status answer, 0 before the first. */
  checkedAt: number;
  /** For a job that ended without completing: the bar is full, but "(100%)" would mislead. */
  hidePercent?: boolean;
}

/** The job's `X-Progress`, as a bar and as sent. */
export function BulkProgress({ progress, tone, startedAt, settledAt, checkedAt, hidePercent = false }: BulkProgressProps) {
  return (
    <div data-testid="bulk-progress" data-percent={progress.percent ?? undefined}>
      <div className="mb-1.5 flex items-baseline justify-between gap-3 text-xs">
        <span className="font-medium text-zinc-900">
          {progress.label}
          {progress.percent !== null && !hidePercent && !progress.label.includes('%') && (
            <span className="ml-1 text-zinc-600 tabular-nums">({Math.round(progress.percent)}%)</span>
          )}
        </span>
        <span className="font-mono text-xs text-zinc-600 tabular-nums">
          {settledAt === null ? <Elapsed since={startedAt} /> : formatCountdown(settledAt - startedAt)} elapsed
          {checkedAt > 0 && <> · checked {formatClockTime(checkedAt)}</>}
        </span>
      </div>
      <ProgressBar value={progress.percent} tone={tone} label="Export progress" />
    </div>
  );
}

/** Ticks on its own so the rest of the job view does not re-render every second. */
function Elapsed({ since }: { since: number }) {
  const now = useServerNow(0);
  return <>{now > 0 ? formatCountdown(now - since) : '--:--'}</>;
}
