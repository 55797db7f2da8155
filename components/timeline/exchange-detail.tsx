import { Breakable } from '@/components/ui/breakable';
import { Disclosure } from '@/components/ui/disclosure';
import { HeadersTable } from '@/components/ui/headers-table';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { formatBytes } from '@/components/fhir/fhir-utils';
import { ExchangeBody } from './exchange-body';
import { DpopProofTables } from '@/components/jwt/dpop-section';
import { epochToMs } from '@/lib/client/relative-time';

/** Request and response side by side, as the server recorded them (secrets already redacted). */
export function ExchangeDetail({ exchange }: { exchange: ExchangeDto }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <section className="min-w-0 space-y-2">
        <h4 className="text-xs font-semibold tracking-wide text-zinc-600 uppercase">Request</h4>
        <p className="font-mono text-xs wrap-anywhere text-zinc-800">
          <span className="font-semibold text-indigo-700">{exchange.method}</span> <Breakable text={exchange.url} />
        </p>
        <HeadersTable headers={exchange.request.headers} />
        <ExchangeBody body={exchange.request.body} emptyLabel="Empty body" />
        {exchange.dpop && (
          <Disclosure summary={`DPoP proof, decoded${exchange.dpop.answersNonceChallenge ? ' · answers the nonce challenge' : ''}`}>
            <DpopProofTables proof={exchange.dpop} now={epochToMs(exchange.startedAt)} label="DPoP proof" />
          </Disclosure>
        )}
      </section>
      <section className="min-w-0 space-y-2">
        <h4 className="text-xs font-semibold tracking-wide text-zinc-600 uppercase">Response</h4>
        {exchange.error && (
          <p className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 font-mono text-xs text-red-800">
            {exchange.error}
          </p>
        )}
        {exchange.response ? (
          <>
            {/* What came back first; a dozen or more response headers would push it out of view (issue #16). */}
            <ExchangeBody body={exchange.response.body} emptyLabel="Empty body" />
            <p className="text-xs text-zinc-600">
              {formatBytes(exchange.response.size)}
              {exchange.response.bodyTruncated && ' · body truncated for display'}
            </p>
            <Disclosure summary={`Response headers (${exchange.response.headers.length})`}>
              <HeadersTable headers={exchange.response.headers} />
            </Disclosure>
          </>
        ) : (
          !exchange.error && <p className="text-xs text-zinc-600 italic">No response recorded</p>
        )}
      </section>
    </div>
  );
}
