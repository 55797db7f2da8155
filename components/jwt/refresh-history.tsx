import { Badge } from '@/components/ui/badge';
import { epochToMs, formatClockTime, formatRelativeTime } from '@/lib/client/relative-time';
import type { TokenDto } from '@/lib/contract/schemas';
import { describeRefreshHistory } from './refresh-utils';

type History = NonNullable<TokenDto['refresh']>['history'];

/** Every refresh of this token's line, oldest first: which refresh token went out and what came back. */
export function RefreshHistory({ history, now }: { history: History; now: number }) {
  if (history.length === 0) {
    return <p className="text-xs text-zinc-600">Not refreshed yet.</p>;
  }
  return (
    <ol className="divide-y divide-zinc-100 overflow-hidden rounded-lg border border-zinc-200" data-testid="refresh-history">
      {describeRefreshHistory(history).map((row, index) => {
        const at = epochToMs(row.at);
        return (
          <li
            key={`${row.at}-${index}`}
            className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-1.5 text-xs"
            data-outcome={row.outcome}
          >
            <span className="w-5 text-right font-mono text-xs text-zinc-600 tabular-nums">{index + 1}</span>
            <span className="font-mono text-xs text-zinc-600 tabular-nums" title={now > 0 ? formatRelativeTime(at, now) : undefined}>
              {formatClockTime(at)}
            </span>
            <span className="min-w-0 flex-1 font-mono text-zinc-700">
              <span className="text-zinc-600">used</span> {row.used}
              {row.replacement && (
                <>
                  {' '}
                  <span className="text-zinc-600">→</span> <span className="text-zinc-600">new</span> {row.replacement}
                </>
              )}
            </span>
            {row.outcome === 'rotated' ? <Badge tone="violet">rotated</Badge> : <Badge tone="neutral">kept</Badge>}
          </li>
        );
      })}
    </ol>
  );
}
