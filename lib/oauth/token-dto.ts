import 'server-only';
import type { TokenDto } from '@/lib/api-client/schemas';
import { fingerprint } from '@/lib/http/redact';
import { decodeJwtParts } from '@/lib/jwt/decode';
import type { StoredToken } from '@/lib/session/vault';

/** The start and end of a token: enough to tell tokens apart on screen, far too little to use one. */
export function maskToken(token: string): string {
  if (token.length <= 16) return `${token.slice(0, 2)}…`;
  return `${token.slice(0, 10)}…${token.slice(-4)}`;
}

/** The browser's view of a stored token: claims, expiry, fingerprint — never the token. */
export function toTokenDto(token: StoredToken, reuse?: { reason: string }, rotates?: boolean): TokenDto {
  const jwt = decodeJwtParts(token.accessToken);
  return {
    providerId: token.providerId,
    environmentId: token.environmentId,
    presetId: token.credential.presetId,
    grantType: token.grantType,
    refresh: token.refreshToken
      ? { fingerprint: fingerprint(token.refreshToken), rotates: rotates ?? false, history: token.refreshHistory }
      : undefined,
    responseFacts: token.responseFacts,
    credentialLabel: token.credential.label,
    clientId: token.credential.clientId,
    tokenType: token.tokenType,
    maskedToken: maskToken(token.accessToken),
    fingerprint: fingerprint(token.accessToken),
    format: jwt ? 'jwt' : 'opaque',
    jwt: jwt ?? undefined,
    verification: token.verification,
    clientAssertion: token.clientAssertion,
    expiresInRaw: token.expiresInRaw,
    issuedAt: token.issuedAt,
    expiresAt: token.expiresAt,
    scope: token.scope,
    deviations: token.deviations,
    reused: reuse !== undefined,
    reuses: token.reuses,
    idToken: token.idToken,
    reuseReason: reuse?.reason,
    exchangeId: token.exchangeId,
  };
}
