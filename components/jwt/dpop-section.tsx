'use client';

import { Badge } from '@/components/ui/badge';
import type { DpopBindingDto, DpopProofDto } from '@/lib/contract/dpop';
import { orderClaims } from './claim-utils';
import { ClaimsTable } from './claims-table';

/** What each part of a DPoP proof is (RFC 9449 §4.2). */
export const DPOP_HEADER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  typ: 'dpop+jwt: a proof, not a token',
  alg: 'how the console’s key signed it; one of the server’s dpop_signing_alg_values_supported',
  jwk: 'the public half of the console’s key; the private half never leaves the console server',
};

export const DPOP_CLAIM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  jti: 'new for every proof: a server refuses one it has seen',
  htm: 'the request’s method',
  htu: 'the request’s URL, without query or fragment',
  iat: 'when the console signed it; servers take only recent proofs',
  nonce: 'the value the server gave in DPoP-Nonce',
  ath: 'the hash of the access token sent with it (resource requests only)',
};

/** A DPoP proof as the console signed it, decoded: the signed JWT stayed on the server. */
export function DpopProofTables({ proof, now, label }: { proof: DpopProofDto; now: number; label: string }) {
  return (
    <div className="space-y-3" data-testid="dpop-proof">
      <div>
        <h4 className="mb-1.5 text-xs font-medium tracking-wide text-zinc-600 uppercase">Proof header</h4>
        <ClaimsTable caption={`${label} header`} entries={Object.entries(proof.header)} descriptions={DPOP_HEADER_DESCRIPTIONS} now={now} data-testid="dpop-proof-header" />
      </div>
      <div>
        <h4 className="mb-1.5 text-xs font-medium tracking-wide text-zinc-600 uppercase">Proof claims</h4>
        <ClaimsTable caption={`${label} claims`} entries={orderClaims(proof.claims)} descriptions={DPOP_CLAIM_DESCRIPTIONS} now={now} data-testid="dpop-proof-claims" />
      </div>
    </div>
  );
}

/**
 * How a DPoP token is bound (RFC 9449 §6): the key's thumbprint, the token's `cnf.jkt` against it, and the proof that got
 * the token. A JWT access token says its binding; an opaque one leaves it to the server (introspection shows `cnf`).
 */
export function DpopSection({ binding, now }: { binding: DpopBindingDto; now: number }) {
  const matches = binding.tokenJkt === null ? null : binding.tokenJkt === binding.jkt;
  return (
    <section className="mt-5" data-testid="dpop-binding">
      <h3 className="mb-1 text-xs font-semibold text-zinc-900">
        DPoP binding <span className="font-normal text-zinc-600">· RFC 9449, sender-constrained</span>
      </h3>
      <p className="mb-2 text-xs leading-5 text-zinc-600">
        This token works only with a fresh proof signed by the console’s {binding.alg} key for this session, which stays on the console server. A copy of the
        token alone is refused.
      </p>
      <dl className="mb-3 grid gap-x-3 gap-y-1.5 text-xs sm:grid-cols-[auto_1fr]">
        <dt className="text-zinc-600">Key thumbprint (jkt)</dt>
        <dd className="font-mono break-all text-zinc-900" data-testid="dpop-jkt">
          {binding.jkt}
        </dd>
        <dt className="text-zinc-600">Token’s cnf.jkt</dt>
        <dd className="flex flex-wrap items-center gap-2" data-testid="dpop-token-jkt">
          {binding.tokenJkt === null ? (
            <span className="text-zinc-700">An opaque token: the server keeps the binding (introspection shows its cnf).</span>
          ) : (
            <>
              <span className="font-mono break-all text-zinc-900">{binding.tokenJkt}</span>
              <Badge tone={matches ? 'green' : 'red'} dot data-match={String(matches)}>
                {matches ? 'matches the key' : 'another key'}
              </Badge>
            </>
          )}
        </dd>
      </dl>
      {binding.proof && (
        <>
          <p className="mb-2 text-xs leading-5 text-zinc-600">
            The proof sent with the token request{binding.proof.answersNonceChallenge ? ', with the nonce the server asked for' : ''}, decoded:
          </p>
          <DpopProofTables proof={binding.proof} now={now} label="DPoP proof" />
        </>
      )}
    </section>
  );
}
