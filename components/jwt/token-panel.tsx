'use client';

import { authorizationSchemeOf } from '@/lib/contract/dpop';
import { useMemo, type ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { CopyButton } from '@/components/ui/copy-button';
import { Disclosure } from '@/components/ui/disclosure';
import { KeyValueList } from '@/components/ui/key-value-list';
import { epochToMs, formatDateTime, formatRelativeTime } from '@/lib/client/relative-time';
import type { TokenDto } from '@/lib/contract/schemas';
import { CLAIM_DESCRIPTIONS, HEADER_DESCRIPTIONS, orderClaims } from './claim-utils';
import { RESPONSE_FIELD_DESCRIPTIONS } from './fact-utils';
import { ClaimsTable } from './claims-table';
import { ClientAssertionSection } from './client-assertion-section';
import { DpopSection } from './dpop-section';
import { getCountdown } from './countdown-utils';
import { GrantedScopes } from './granted-scopes';
import { RefreshPanel, type RefreshControls } from './refresh-panel';
import { TokenCountdown } from './token-countdown';
import { TokenDeviations } from './token-deviations';
import { IntrospectionSection } from './introspection-section';
import { TokenFactsTable } from './token-facts-table';
import { TokenLifecycle } from './token-lifecycle';
import { TokenStatusBadge } from './token-status-badge';
import { describeRawValue, formatFingerprint } from './token-utils';
import { useServerNow } from './use-server-now';
import { VerificationBadge } from './verification-badge';

export interface TokenPanelProps {
  token: TokenDto;
  /** serverNow − Date.now() when the token's DTO arrived. */
  clockOffsetMs: number;
  providerName: string;
  /** What the provider's own claims mean, from its provider file. */
  claimGlossary: Readonly<Record<string, string>>;
  environmentLabel: string;
  /** The scopes the token's flow asked for, to compare with the granted ones; null to skip the comparison. */
  requestedScopes: readonly string[] | null;
  /** Refresh now, its progress and its error (used when the token came with a refresh token). */
  refresh: RefreshControls;
  /** The last Get token was answered with this token instead of a new one. */
  reused: boolean;
  /** Why this provider ends tokens early, from its provider file; shown when it refused this one. */
  refusalNote?: string;
}

/**
 * The token the server holds for this session: expiry on the server clock, fingerprint, the decoded JWT or (opaque
 * tokens) what the token response said, granted scopes, the refresh token and deviations.
 */
export function TokenPanel({ token, clockOffsetMs, providerName, claimGlossary, environmentLabel, requestedScopes, refresh, reused, refusalNote }: TokenPanelProps) {
  const now = useServerNow(clockOffsetMs);
  const claimDescriptions = useMemo(() => ({ ...CLAIM_DESCRIPTIONS, ...claimGlossary }), [claimGlossary]);
  const fieldDescriptions = useMemo(() => ({ ...RESPONSE_FIELD_DESCRIPTIONS, ...claimGlossary }), [claimGlossary]);
  const expiresAt = epochToMs(token.expiresAt);
  const issuedAt = epochToMs(token.issuedAt);
  const countdown = now > 0 ? getCountdown(expiresAt, now, issuedAt) : null;
  const expiresIn = describeRawValue(token.expiresInRaw);
  const opaque = !token.jwt;
  const sentScheme = authorizationSchemeOf(token);
  const showScopes = token.scope !== undefined || (requestedScopes !== null && requestedScopes.length > 0);

  return (
    <Card
      data-testid="token-panel"
      title="Access token"
      description={
        <>
          {token.credentialLabel} · {environmentLabel}
        </>
      }
      actions={
        <>
          {reused && <Badge tone="blue">Reused</Badge>}
          {countdown && <TokenStatusBadge state={countdown.state} refused={token.refusal !== undefined} />}
        </>
      }
    >
      <div className="grid gap-5 md:grid-cols-[minmax(0,14rem)_minmax(0,1fr)]">
        <TokenCountdown countdown={countdown} refused={token.refusal !== undefined} />
        <KeyValueList
          items={[
            { label: 'Issued', value: formatDateTime(issuedAt) },
            { label: 'Expires', value: formatDateTime(expiresAt) },
            { label: 'Client ID', value: token.clientId, mono: true },
            { label: 'Grant', value: token.grantType, mono: true },
            // An opaque token's token_type and expires_in are in the token-response table below.
            ...(opaque
              ? []
              : [
                  {
                    label: 'token_type',
                    value: (
                      <>
                        {JSON.stringify(token.tokenType)}
                        {token.tokenType !== sentScheme && (
                          <span className="font-sans text-zinc-600"> · sent as “{sentScheme}”</span>
                        )}
                      </>
                    ),
                    mono: true,
                  },
                  {
                    label: 'expires_in',
                    value: (
                      <>
                        {expiresIn.text} <span className="font-sans text-zinc-600">({expiresIn.type})</span>
                      </>
                    ),
                    mono: true,
                  },
                ]),
          ]}
        />
      </div>

      {token.refusal && (
        <div className="mt-4 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-xs leading-5 text-red-800" data-testid="token-refused" role="status">
          <p>
            <span className="font-semibold">{providerName} refused this token</span>
            {token.refusal.source === 'introspection' ? ' (introspection)' : ''}, {formatRelativeTime(token.refusal.at, now > 0 ? now : token.refusal.at)}: “{token.refusal.reason}” — it is not live, and the console will not hand it out again.
          </p>
          {refusalNote && <p className="mt-1">{refusalNote}</p>}
          <p className="mt-1">
            <NewTokenHint token={token} providerName={providerName} />
          </p>
        </div>
      )}

      {!token.refusal && countdown?.state === 'expired' && (
        <p className="mt-4 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-800">
          This token has expired: the provider will answer 401 to requests made with it.{' '}
          <NewTokenHint token={token} providerName={providerName} />
        </p>
      )}

      <div className="mt-5 rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2.5">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-xs font-medium tracking-wide text-zinc-600 uppercase">
            {sentScheme} token <span className="font-normal tracking-normal normal-case">· held by the server, masked here</span>
          </p>
          <Badge tone="neutral" className="font-mono">
            {token.format}
          </Badge>
        </div>
        <p className="mt-1.5 font-mono text-sm wrap-anywhere text-zinc-900" data-testid="masked-token">
          {token.maskedToken}
        </p>
        <p className="mt-1 font-mono text-xs text-zinc-600" data-testid="token-fingerprint">
          {formatFingerprint(token.fingerprint)}
        </p>
      </div>

      <div className="mt-3">
        <VerificationBadge verification={token.verification} />
      </div>

      {token.jwt ? (
        <div className="mt-5 space-y-4">
          <JwtPart title="JOSE header" part="header" value={token.jwt.header}>
            <ClaimsTable
              caption="JWT header"
              entries={Object.entries(token.jwt.header)}
              descriptions={HEADER_DESCRIPTIONS}
              now={now}
            />
          </JwtPart>
          <JwtPart title="Claims" part="claims" value={token.jwt.claims}>
            <ClaimsTable
              caption="JWT claims"
              data-testid="claims-table"
              entries={orderClaims(token.jwt.claims)}
              descriptions={claimDescriptions}
              now={now}
            />
          </JwtPart>
        </div>
      ) : (
        <section className="mt-5">
          <p className="mb-2 text-xs text-zinc-700">
            <span className="font-semibold text-zinc-900">Opaque token — not a JWT: there is nothing to decode.</span>{' '}
            What the token response said:
          </p>
          <TokenFactsTable token={token} now={now} descriptions={fieldDescriptions} />
          <IntrospectionSection token={token} />
        </section>
      )}

      {showScopes && (
        <section className="mt-5">
          <h3 className="mb-2 text-xs font-semibold text-zinc-900">
            Scopes{' '}
            {requestedScopes !== null && requestedScopes.length > 0 && (
              <span className="font-normal text-zinc-600">· granted, against the {requestedScopes.length} requested</span>
            )}
          </h3>
          <GrantedScopes scope={token.scope} requested={requestedScopes} />
        </section>
      )}

      {!opaque && Object.keys(token.responseFacts).length > 0 && (
        <section className="mt-5">
          <h3 className="mb-2 text-xs font-semibold text-zinc-900">More in the token response</h3>
          <TokenFactsTable token={token} now={now} nonStandardOnly descriptions={fieldDescriptions} />
        </section>
      )}

      {token.clientAssertion && <ClientAssertionSection assertion={token.clientAssertion} now={now} />}

      {token.dpop && <DpopSection binding={token.dpop} now={now} />}

      {token.idToken && (
        <section className="mt-5" data-testid="id-token">
          <h3 className="mb-2 flex items-center gap-2 text-xs font-semibold text-zinc-900">
            ID token <span className="font-normal text-zinc-600">· OpenID Connect, decoded on the server</span>
          </h3>
          <VerificationBadge verification={token.idToken.verification} />
          <div className="mt-2">
            <ClaimsTable caption="ID token claims" entries={orderClaims(token.idToken.claims)} descriptions={claimDescriptions} now={now} />
          </div>
        </section>
      )}

      <TokenLifecycle token={token} now={now} />

      {token.refresh && (
        <div className="mt-5">
          <RefreshPanel
            refresh={token.refresh}
            providerName={providerName}
            grantType={token.grantType}
            now={now}
            {...refresh}
          />
        </div>
      )}

      <section className="mt-5">
        <h3 className="mb-2 text-xs font-semibold text-zinc-900">Deviations from the spec</h3>
        <TokenDeviations deviations={token.deviations} providerName={providerName} />
      </section>
    </Card>
  );
}

/** How to get a token that works again, by what the token came with: a refresh token, a login, or client credentials. */
function NewTokenHint({ token, providerName }: { token: TokenDto; providerName: string }) {
  if (token.refresh) {
    return (
      <>
        Press <span className="font-semibold">Refresh now</span> below for a new one.
      </>
    );
  }
  if (token.grantType === 'authorization_code') {
    return (
      <>
        Press <span className="font-semibold">Authorize with {providerName}</span> for a new one.
      </>
    );
  }
  return (
    <>
      Press <span className="font-semibold">Get token</span> for a new one.
    </>
  );
}

/**
 * One decoded part of the JWT: explained field by field, and as the raw JSON to read or copy (jwt.io shows it so).
 * The decoded header and claims only — the token itself never reaches the page.
 */
function JwtPart({ title, part, value, children }: { title: string; part: 'header' | 'claims'; value: Record<string, unknown>; children: ReactNode }) {
  const json = JSON.stringify(value, null, 2);
  return (
    <section>
      <div className="mb-2 flex items-center justify-between gap-2">
        <h3 className="text-xs font-semibold text-zinc-900">{title}</h3>
        <CopyButton text={json} label={`Copy ${part} JSON`} />
      </div>
      {children}
      <Disclosure className="mt-2" summary="Raw JSON">
        <CodeBlock data-testid={`jwt-${part}-json`}>{json}</CodeBlock>
      </Disclosure>
    </section>
  );
}
