import { Badge } from '@/components/ui/badge';
import type { TokenDeviation } from '@/lib/contract/schemas';

/** What the token response did differently from RFC 6749, as the server's parser saw it. */
export function TokenDeviations({ deviations, providerName }: { deviations: TokenDeviation[]; providerName: string }) {
  return (
    <div data-testid="deviations">
      {deviations.length === 0 ? (
        <p className="text-xs text-zinc-600">The token response follows RFC 6749 §5.1: nothing to report.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 overflow-hidden rounded-lg border border-zinc-200">
          {deviations.map((deviation, index) => (
            <li key={`${deviation.code}-${index}`} className="flex flex-col gap-1 px-3 py-2 sm:flex-row sm:items-start sm:gap-3">
              <div className="flex shrink-0 items-center gap-1.5 sm:w-20">
                <Badge tone={deviation.severity === 'warning' ? 'amber' : 'blue'}>{deviation.severity}</Badge>
              </div>
              <div className="min-w-0 flex-1 text-xs text-zinc-800">
                <p>{deviation.message}</p>
                <p className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-zinc-600">
                  <span className="font-mono">{deviation.field}</span>
                  <span aria-hidden="true">·</span>
                  <span className="font-mono">{deviation.code}</span>
                  {deviation.known && <Badge tone="violet" wrap>known quirk of {providerName}</Badge>}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
