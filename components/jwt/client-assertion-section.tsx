'use client';

import type { TokenDto } from '@/lib/contract/schemas';
import { orderClaims } from './claim-utils';
import { ClaimsTable } from './claims-table';
import { useServerNow } from './use-server-now';

/** What each part of a SMART Backend Services client assertion must be (RFC 7523 §3, SMART backend-services). */
export const ASSERTION_HEADER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  alg: 'RS384 or ES384: the alg of the console key that signed it',
  kid: 'which key in your JWKS the server verifies it with',
  typ: 'JWT',
  jku: 'the JWKS URL the server may fetch the key from',
};

export const ASSERTION_CLAIM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  iss: 'your client id (iss = sub)',
  sub: 'your client id (sub = iss)',
  aud: 'the token URL, exactly',
  exp: 'at most 5 minutes after iat',
  iat: 'when the console signed it',
  jti: 'fresh for every request: a replay is refused',
  nbf: 'not valid before',
};

/**
 * The client assertion (private_key_jwt) the console signed for the request that got this token, decoded. The signed
 * JWT stayed on the server; only its header and claims come to the page.
 */
export function ClientAssertionSection({
  assertion,
  now,
  rejected = false,
  className = 'mt-5',
}: {
  assertion: NonNullable<TokenDto['clientAssertion']>;
  now: number;
  /** The token request failed: this is the assertion the server refused. */
  rejected?: boolean;
  className?: string;
}) {
  return (
    <section className={className} data-testid={rejected ? 'rejected-client-assertion' : 'client-assertion'}>
      <h3 className="mb-1 text-xs font-semibold text-zinc-900">
        {rejected ? 'The client assertion that was refused' : 'Client assertion'}{' '}
        <span className="font-normal text-zinc-600">· private_key_jwt, sent with the token request</span>
      </h3>
      <p className="mb-2 text-xs leading-5 text-zinc-600">
        The console server signed a fresh JWT for this request and sent it as <code className="font-mono">client_assertion</code>.
        The signed JWT itself never left the server; this is its decoded header and claims.
        {rejected && ' Compare aud with the token URL, kid with your JWKS, and iss/sub with the client id.'}
      </p>
      <div className="space-y-3">
        <div>
          <h4 className="mb-1.5 text-xs font-medium tracking-wide text-zinc-600 uppercase">Header</h4>
          <ClaimsTable
            caption="Client assertion header"
            data-testid="client-assertion-header"
            entries={Object.entries(assertion.header)}
            descriptions={ASSERTION_HEADER_DESCRIPTIONS}
            now={now}
          />
        </div>
        <div>
          <h4 className="mb-1.5 text-xs font-medium tracking-wide text-zinc-600 uppercase">Claims</h4>
          <ClaimsTable
            caption="Client assertion claims"
            data-testid="client-assertion-claims"
            entries={orderClaims(assertion.claims)}
            descriptions={ASSERTION_CLAIM_DESCRIPTIONS}
            now={now}
          />
        </div>
      </div>
    </section>
  );
}

/** A failed token request's assertion (the BFF's error carries it decoded), for the error card. */
export function RejectedClientAssertion({ assertion, className }: { assertion: NonNullable<TokenDto['clientAssertion']>; className?: string }) {
  const now = useServerNow(0);
  return <ClientAssertionSection assertion={assertion} now={now} rejected className={className} />;
}
