import 'server-only';
import type { TokenDto } from '@/lib/contract/schemas';
import { fingerprint } from '@/lib/http/redact';
import { decodeJwtParts } from '@/lib/contract/jwt';
import type { StoredToken } from '@/lib/session/vault';

/** Never more than this many characters of a token: the page needs to tell tokens apart, not to read them. */
const MAX_SHOWN = 14;
/** At least this many characters always stay hidden, so what is shown never narrows a guess to a search. */
const MIN_HIDDEN = 20;

/**
 * The start and end of a token: at most a quarter of it and at most 14 characters, with at least 20 hidden, so a
 * token of 20 characters or fewer shows nothing (issue #13: an 18-character token with 14 characters shown came back
 * from its fingerprint by brute force).
 */
export function maskToken(token: string): string {
  const shown = Math.max(0, Math.min(MAX_SHOWN, Math.floor(token.length / 4), token.length - MIN_HIDDEN));
  const tail = Math.floor(shown / 3);
  return `${token.slice(0, shown - tail)}…${tail > 0 ? token.slice(-tail) : ''}`;
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
    refusal: token.refusal,
    dpop: token.dpop,
  };
}
