import { Breakable } from '@/components/ui/breakable';
import { Badge } from '@/components/ui/badge';
import { formatDateTime, formatRelativeTime } from '@/lib/client/relative-time';
import { formatSeconds, type FactDisplay } from './fact-utils';

/** One field of a token response: times with local date and "in 13 months", lifetimes in words, secrets held back. */
export function FactValue({ display, now }: { display: FactDisplay; now: number }) {
  if (display.kind === 'held') {
    return (
      <span className="flex flex-wrap items-center gap-1.5">
        <span className="font-mono wrap-anywhere text-zinc-900">
          <Breakable text={display.text} />
        </span>
        <Badge tone="neutral">held by the server</Badge>
      </span>
    );
  }
  if (display.kind === 'time') {
    return (
      <div className="flex flex-col gap-0.5">
        <span className="font-mono wrap-anywhere text-zinc-900">
          <Breakable text={display.raw} />
        </span>
        <span className="text-zinc-600">
          {formatDateTime(display.ms)}
          {now > 0 && <span className="text-zinc-600"> · {formatRelativeTime(display.ms, now)}</span>}
        </span>
      </div>
    );
  }
  if (display.kind === 'duration') {
    return (
      <span>
        <span className="font-mono text-zinc-900">
          <Breakable text={display.raw} />
        </span>{' '}
        <span className="text-zinc-600">
          ({display.type}) · {formatSeconds(display.seconds)}
        </span>
      </span>
    );
  }
  return (
    <span>
      <span className="font-mono wrap-anywhere text-zinc-900">
          <Breakable text={display.raw} />
        </span>
      {display.empty && <span className="text-zinc-600"> (empty)</span>}
    </span>
  );
}
