import 'server-only';
import { SignJWT } from 'jose';
import { findAccountByCredentials, type BcdaAccount } from './credentials';
import type { BcdaContext } from './context';
import type { SigningKey } from '../shared/signing-key';
import { goTextError, methodNotAllowed } from './responses';

/** SSAS mints 20-minute access tokens (`NewServer(..., 20*time.Minute, ...)`). */
export const accessTokenLifetimeSeconds = 1200;

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Reads HTTP Basic credentials the way Go's `Request.BasicAuth` does: a case-insensitive `Basic ` prefix,
 * strict standard base64, and a colon separating id and secret. Undefined when any of that is missing.
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2
 */
export function parseBasicCredentials(header: string | null): { clientId: string; clientSecret: string } | undefined {
  const prefix = 'basic ';
  if (!header || header.slice(0, prefix.length).toLowerCase() !== prefix) return undefined;
  const encoded = header.slice(prefix.length);
  if (!base64Pattern.test(encoded)) return undefined;
  const bytes = Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
  const decoded = new TextDecoder().decode(bytes);
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/**
 * Mints an SSAS-style access token: RS512, `iss: "ssas"`, `use: "AccessToken"`, `cid`, `sys`, and `dat` as a
 * JSON string holding the single CMS id. No `sub` or `aud`, as in `mintToken`.
 */
export async function mintAccessToken(key: SigningKey, account: BcdaAccount, nowMs: number): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  return new SignJWT({
    use: 'AccessToken',
    cid: account.clientId,
    sys: account.systemId,
    dat: JSON.stringify({ cms_ids: [account.acoId] }),
  })
    .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: key.kid })
    .setIssuer('ssas')
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + accessTokenLifetimeSeconds)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}

/** The token response exactly as SSAS formats it: odd spacing, `expires_in` as a string, lower-case `bearer`. */
export function formatTokenResponse(accessToken: string): string {
  return `{"access_token": "${accessToken}", "expires_in": "${accessTokenLifetimeSeconds}", "token_type":"bearer"}`;
}

export function rateLimitMessage(acoId: string): string {
  return `${acoId} exceeded the rate limit for /auth/token. Access tokens last 20 minutes; please cache and reuse them.`;
}

/**
 * `POST /auth/token`: Basic credentials in, a 20-minute bearer token out. The body is ignored (the docs' curl
 * sends an empty form). Errors are text/plain, as BCDA re-wraps SSAS errors with `http.Error`.
 */
export async function handleTokenRequest(context: BcdaContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  const credentials = parseBasicCredentials(request.headers.get('authorization'));
  if (!credentials) return goTextError(400);
  const account = await findAccountByCredentials(credentials.clientId, credentials.clientSecret);
  if (!account) return goTextError(401);
  const now = context.now();
  const decision = await context.tokenLimiter.hit(account.acoId, now);
  if (!decision.allowed) {
    return goTextError(429, rateLimitMessage(account.acoId), { 'Retry-After': String(decision.retryAfterSeconds) });
  }
  const accessToken = await mintAccessToken(await context.getSigningKey(), account, now);
  return new Response(formatTokenResponse(accessToken), {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  });
}
