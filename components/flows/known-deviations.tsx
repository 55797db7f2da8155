import { InlineCodeText } from '@/components/ui/inline-code-text';
import { Disclosure } from '@/components/ui/disclosure';
import type { ProviderDto } from '@/lib/contract/schemas';

/** The provider file's documented departures from the specs, each expandable to its detail and source. */
export function KnownDeviations({ provider }: { provider: ProviderDto }) {
  if (provider.knownDeviations.length === 0) return null;
  return (
    <div>
      <p className="text-xs font-medium tracking-wide text-zinc-600 uppercase">
        Known deviations of {provider.name}
      </p>
      <ul className="mt-1.5 space-y-1" data-testid="known-deviations">
        {provider.knownDeviations.map((deviation) => (
          <li key={deviation.code}>
            <Disclosure summary={<InlineCodeText text={deviation.summary} />} summaryClassName="font-normal text-zinc-700">
              <div className="ml-4.5 rounded-md bg-zinc-50 px-2.5 py-2 text-xs leading-5 text-zinc-600">
                <InlineCodeText text={deviation.detail} />
                {deviation.source && (
                  <p className="mt-1 font-mono text-xs text-zinc-600">source: {deviation.source}</p>
                )}
              </div>
            </Disclosure>
          </li>
        ))}
      </ul>
    </div>
  );
}
