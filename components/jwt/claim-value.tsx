import { Breakable } from '@/components/ui/breakable';
import { Badge } from '@/components/ui/badge';
import { formatDateTime, formatRelativeTime } from '@/lib/client/relative-time';
import { describeClaimValue } from './claim-utils';

/** One claim's value: times with local date and "in 19 min", JSON (also JSON inside a string) pretty-printed. */
export function ClaimValue({ name, value, now }: { name: string; value: unknown; now: number }) {
  const display = describeClaimValue(name, value);
  if (display.kind === 'time') {
    return (
      <div className="flex flex-col gap-0.5">
        <span className="font-mono text-zinc-900">{display.raw}</span>
        <span className="text-zinc-600">
          {formatDateTime(display.ms)}
          {now > 0 && <span className="text-zinc-600"> · {formatRelativeTime(display.ms, now)}</span>}
        </span>
      </div>
    );
  }
  if (display.kind === 'json') {
    return (
      <div className="flex flex-col items-start gap-1">
        {display.fromString && (
          <Badge tone="violet" title="The claim is a string holding JSON; shown parsed.">
            JSON in a string
          </Badge>
        )}
        <pre className="max-w-full overflow-x-auto rounded-md bg-zinc-50 px-2 py-1 font-mono text-xs leading-4 whitespace-pre-wrap text-zinc-800 ring-1 ring-zinc-200">
          {JSON.stringify(display.value, null, 2)}
        </pre>
      </div>
    );
  }
  return (
    <span className="font-mono wrap-anywhere text-zinc-900">
      <Breakable text={display.text} />
    </span>
  );
}
