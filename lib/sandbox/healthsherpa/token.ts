import 'server-only';
import { authenticateApp, type HealthSherpaApp } from './clients';
import type { HealthSherpaContext } from './context';
import { doorkeeperError, invalidRequest, missingParam, tokenErrorResponse } from './doorkeeper';
import type { TokenRecord } from './oauth-store';
import { readParams } from './params';
import { verifierMatches } from './random';

/** Client credentials from the request, or undefined when either part is blank (Doorkeeper's `Credentials#blank?`). */
interface Credentials {
  clientId: string;
  clientSecret: string;
}

// RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64; undo it where it decodes.
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * Doorkeeper's default client credential methods, in order: HTTP Basic, then `client_id` and `client_secret` in
 * the parameters. HealthSherpa documents the form body.
 */
export function readCredentials(request: Request, params: URLSearchParams): Credentials | undefined {
  const match = /^Basic (.+)$/s.exec(request.headers.get('authorization') ?? '');
  if (match?.[1]) {
    const decoded = Buffer.from(match[1].trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const clientId = formDecode(colon < 0 ? decoded : decoded.slice(0, colon));
    const clientSecret = colon < 0 ? '' : formDecode(decoded.slice(colon + 1));
    if (clientId && clientSecret) return { clientId, clientSecret };
  }
  const clientId = params.get('client_id') ?? '';
  const clientSecret = params.get('client_secret') ?? '';
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

async function authenticate(credentials: Credentials | undefined): Promise<HealthSherpaApp | undefined> {
  return credentials ? authenticateApp(credentials.clientId, credentials.clientSecret) : undefined;
}

/**
 * Doorkeeper's token body: blank values dropped, `expires_in` counted from `created_at` (whole seconds).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function tokenResponse(record: TokenRecord): Response {
  const body = {
    access_token: record.accessToken,
    token_type: 'Bearer',
    expires_in: record.expiresInSeconds,
    refresh_token: record.refreshToken,
    scope: record.scope,
    created_at: Math.floor(record.createdAtMs / 1000),
  };
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
  });
}

/**
 * `grant_type=authorization_code`, checked in Doorkeeper's `AuthorizationCodeRequest` order: required params,
 * client, grant, redirect URI, PKCE verifier. A failed check leaves the code usable; a replayed code is refused
 * and every token issued from it is revoked.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
async function exchangeCode(context: HealthSherpaContext, request: Request, params: URLSearchParams): Promise<Response> {
  const grant = await context.oauth.getGrant(params.get('code') ?? '');
  const redirectUri = params.get('redirect_uri') ?? '';
  const codeVerifier = params.get('code_verifier') ?? '';
  const app = await authenticate(readCredentials(request, params));
  // Doorkeeper: with a verifier, the grant must hold a matching challenge; a verifier for a grant without one fails too.
  const verifierOk =
    !codeVerifier ||
    (grant?.codeChallenge !== undefined &&
      grant.codeChallengeMethod !== undefined &&
      (await verifierMatches(codeVerifier, grant.codeChallenge, grant.codeChallengeMethod)));

  if (grant?.codeChallenge && !codeVerifier) return tokenErrorResponse(invalidRequest(missingParam('code_verifier')));
  if (!redirectUri) return tokenErrorResponse(invalidRequest(missingParam('redirect_uri')));
  if (!app) return tokenErrorResponse(doorkeeperError('invalid_client'));
  if (!grant || grant.clientId !== app.clientId) return tokenErrorResponse(doorkeeperError('invalid_grant'));
  const replayed = async () => {
    await context.oauth.revokeFamily(grant.code);
    return tokenErrorResponse(doorkeeperError('invalid_grant'));
  };
  if (grant.revoked) return replayed();
  if (context.now() >= grant.expiresAtMs) return tokenErrorResponse(doorkeeperError('invalid_grant'));
  if (redirectUri !== grant.redirectUri) return tokenErrorResponse(doorkeeperError('invalid_grant'));
  if (!verifierOk) return tokenErrorResponse(doorkeeperError('invalid_grant'));

  // Two exchanges racing (on one instance or two) both get here; one redeems the code, the other is a replay.
  if (!(await context.oauth.redeemCode(grant.code))) return replayed();
  const record = await context.oauth.issueToken({ clientId: app.clientId, agentId: grant.agentId, scope: grant.scope, family: grant.code });
  return tokenResponse(record);
}

/**
 * `grant_type=refresh_token`, in Doorkeeper's `RefreshTokenRequest` order. The refresh token and the access
 * token issued with it are revoked at once (no `refresh_token_revoked_on_use`), so the old pair stops working
 * and a second use of the refresh token answers invalid_grant.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
async function refresh(context: HealthSherpaContext, request: Request, params: URLSearchParams): Promise<Response> {
  const refreshToken = params.get('refresh_token') ?? '';
  const credentials = readCredentials(request, params);
  const app = await authenticate(credentials);
  if (!refreshToken) return tokenErrorResponse(invalidRequest(missingParam('refresh_token')));
  const record = await context.oauth.getByRefreshToken(refreshToken);
  if (!record || record.revoked) return tokenErrorResponse(doorkeeperError('invalid_grant'));
  if (credentials && !app) return tokenErrorResponse(doorkeeperError('invalid_client'));
  if (!app || app.clientId !== record.clientId) return tokenErrorResponse(doorkeeperError('invalid_grant'));

  const requested = params.get('scope');
  const granted = record.scope.split(' ');
  if (requested && !requested.split(' ').filter(Boolean).every((scope) => granted.includes(scope))) {
    return tokenErrorResponse(doorkeeperError('invalid_scope'));
  }

  // Only one of two refreshes racing (on one instance or two) revokes the pair; the other is refused.
  if (!(await context.oauth.revokeForRefresh(record))) return tokenErrorResponse(doorkeeperError('invalid_grant'));
  const scope = requested ? requested.split(' ').filter(Boolean).join(' ') : record.scope;
  return tokenResponse(await context.oauth.issueToken({ clientId: record.clientId, agentId: record.agentId, scope, family: record.family }));
}

/** `POST /oauth/token`: the authorization code and refresh token grants; anything else is unsupported. */
export async function handleTokenRequest(context: HealthSherpaContext, request: Request): Promise<Response> {
  const params = await readParams(request);
  const grantType = params.get('grant_type') ?? '';
  switch (grantType) {
    case '':
      return tokenErrorResponse(invalidRequest(missingParam('grant_type')));
    case 'authorization_code':
      return exchangeCode(context, request, params);
    case 'refresh_token':
      return refresh(context, request, params);
    default:
      return tokenErrorResponse(doorkeeperError('unsupported_grant_type'));
  }
}
