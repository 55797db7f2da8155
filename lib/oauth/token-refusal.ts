import 'server-only';
import type { TokenRefusal } from '@/lib/contract/schemas';
import { readErrorBody } from '@/lib/contract/error-body';
import { getHeader, type HeaderList } from '@/lib/contract/headers';
import { redactText } from '@/lib/http/redact';
import type { SessionVault, StoredToken } from '@/lib/session/vault';

/**
 * A provider can end a token before its expiry (revocation, a newer authorization, a simulated failure). When it
 * says so, the stored token records it: the page stops calling it live, and the console never hands it out again.
 */

/** The error body's own words, else its error code. */
function bodyReason(body: string): string | undefined {
  const said = readErrorBody(body);
  return said.description ?? said.error;
}

/** RFC 6750 §3: `error_description`, else `error`, of a Bearer challenge. */
function challengeReason(challenge: string | undefined): string | undefined {
  if (!challenge || !/^\s*bearer\b/i.test(challenge)) return undefined;
  const param = (name: string) => new RegExp(`${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s,]+))`, 'i').exec(challenge);
  const match = param('error_description') ?? param('error');
  const value = match?.[1] ?? match?.[2];
  return value ? value.replace(/\\(.)/g, '$1') : undefined;
}

/**
 * Why a resource server refused the token it was sent: its answer was 401 (RFC 6750 §3.1). The challenge's words
 * come first: a body such as "Authentication credentials were not provided." may not be about this token at all.
 */
export function resourceRefusalReason(status: number, headers: HeaderList, body: string): string | null {
  if (status !== 401) return null;
  const reason = challengeReason(getHeader(headers, 'www-authenticate')) ?? bodyReason(body) ?? 'The server answered 401 Unauthorized.';
  return reason.slice(0, 300);
}

/** Records the provider's refusal on the session's token, if that token is still the one the session holds. */
export async function recordTokenRefusal(
  vault: SessionVault,
  sid: string,
  token: StoredToken,
  refusal: TokenRefusal,
): Promise<void> {
  const current = await vault.getToken(sid, token.providerId);
  if (!current || current.accessToken !== token.accessToken || current.refusal) return;
  const reason = redactText(refusal.reason, [token.accessToken, ...(token.refreshToken ? [token.refreshToken] : [])]);
  await vault.putToken(sid, { ...current, refusal: { ...refusal, reason } });
}
