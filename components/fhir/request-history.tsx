'use client';

import { Breakable } from '@/components/ui/breakable';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { StatusCode } from '@/components/ui/status-code';
import { epochToMs, formatClockTime, formatDateTime } from '@/lib/client/relative-time';
import type { HistoryEntry } from '@/lib/client/request-history';
import { formatDuration } from './fhir-utils';

export interface RequestHistoryProps {
  entries: readonly HistoryEntry[];
  loading: boolean;
  /** A request is in flight: Re-run waits for it. */
  pending: boolean;
  onEdit: (entry: HistoryEntry) => void;
  onRerun: (entry: HistoryEntry) => void;
}

/**
 * This session's requests to the environment, newest first, from the timeline the server keeps (so a reload keeps
 * them and the browser stores nothing). Edit loads one into the editor; Re-run loads it and sends it again.
 */
export function RequestHistory({ entries, loading, pending, onEdit, onRerun }: RequestHistoryProps) {
  if (entries.length === 0) {
    return (
      <EmptyState title={loading ? 'Loading this session’s requests…' : 'No requests in this session yet'}>
        Requests you send to this environment are listed here, newest first, and stay after a reload.
      </EmptyState>
    );
  }
  return (
    <ol className="divide-y divide-zinc-100 overflow-hidden rounded-lg border border-zinc-200" data-testid="fhir-history" aria-label="Request history">
      {entries.map((entry) => {
        const name = `${entry.method} ${entry.path}`;
        return (
          <li
            key={entry.exchangeId}
            data-testid="fhir-history-entry"
            className="grid grid-cols-[3.25rem_minmax(0,1fr)_auto] items-start gap-x-2.5 gap-y-0.5 px-3 py-1.5 text-xs hover:bg-zinc-50"
          >
            <span className="pt-px font-mono text-xs font-semibold text-indigo-700">{entry.method}</span>
            <span className="line-clamp-2 min-w-0 font-mono wrap-anywhere text-zinc-800" title={entry.path}>
              <Breakable text={entry.path} />
            </span>
            <span className="row-span-2 flex items-center gap-1 self-center">
              <Button size="xs" variant="ghost" onClick={() => onEdit(entry)} aria-label={`Edit ${name}`}>
                Edit
              </Button>
              <Button
                size="xs"
                variant="secondary"
                disabled={pending}
                onClick={() => onRerun(entry)}
                aria-label={`Re-run ${name}`}
                data-testid="fhir-history-rerun"
              >
                Re-run
              </Button>
            </span>
            <span className="col-start-2 flex min-w-0 flex-wrap items-center gap-x-2.5 text-xs text-zinc-600">
              {entry.status === null ? <Badge tone="red">{entry.error ?? 'no response'}</Badge> : <StatusCode status={entry.status} />}
              <time dateTime={new Date(epochToMs(entry.startedAt)).toISOString()} title={formatDateTime(epochToMs(entry.startedAt))} className="font-mono tabular-nums">
                {formatClockTime(epochToMs(entry.startedAt))}
              </time>
              <span className="font-mono tabular-nums">{formatDuration(entry.durationMs)}</span>
              {entry.repeats > 1 && <span title="Sent this many times in a row">×{entry.repeats}</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
