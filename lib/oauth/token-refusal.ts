import 'server-only';
import type { TokenRefusal } from '@/lib/contract/schemas';
import { getHeader, type HeaderList } from '@/lib/contract/headers';
import { redactText } from '@/lib/http/redact';
import type { SessionVault, StoredToken } from '@/lib/session/vault';

/**
 * A provider can end a token before its expiry (revocation, a newer authorization, a simulated failure). When it
 * says so, the stored token records it: the page stops calling it live, and the console never hands it out again.
 */

/** RFC 6750 §3: `error_description`, else `error`, of a Bearer challenge. */
function challengeReason(challenge: string | undefined): string | undefined {
  if (!challenge || !/^\s*bearer\b/i.test(challenge)) return undefined;
  const param = (name: string) => new RegExp(`${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s,]+))`, 'i').exec(challenge);
  const match = param('error_description') ?? param('error');
  const value = match?.[1] ?? match?.[2];
  return value ? value.replace(/\\(.)/g, '$1') : undefined;
}

/** The words of an error body: OAuth's `error_description`, DRF's `detail`, an OperationOutcome's diagnostics, a message. */
function bodyReason(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const issue = Array.isArray(json.issue) ? (json.issue[0] as Record<string, unknown> | undefined) : undefined;
    const nested = json.error && typeof json.error === 'object' ? (json.error as Record<string, unknown>).message : undefined;
    const found = [json.error_description, json.detail, json.message, nested, issue?.diagnostics, json.error].find((v) => typeof v === 'string' && v.trim() !== '');
    return typeof found === 'string' ? found : undefined;
  } catch {
    const text = body.trim();
    return text && text.length <= 200 && !text.startsWith('<') ? text : undefined;
  }
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
