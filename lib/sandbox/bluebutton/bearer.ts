import 'server-only';
import type { BlueButtonContext } from './context';
import { drfJson, permissionDenied } from './responses';
import type { AccessTokenRecord } from './store';

/**
 * Bearer authentication for the FHIR and userinfo views, as django-oauth-toolkit's `OAuth2Authentication` and
 * Blue Button's `DataAccessGrantPermission` do it.
 */

const notAuthenticated = 'Authentication credentials were not provided.';
// settings.APPLICATION_THIRTEEN_MONTH_DATA_ACCESS_EXPIRED_MESG
const grantExpiredMessage =
  'User access has timed out. To refresh Medicare data, end user must re-authenticate and consent to share their data.';

function unauthorized(detail: string, tokenError?: string): Response {
  // DRF always answers "not provided" when the authenticator returns nothing; DOT puts the reason in the challenge.
  const challenge = tokenError ? `Bearer realm="api",error="invalid_token",error_description="${tokenError}"` : 'Bearer realm="api"';
  return drfJson({ detail }, 401, { 'WWW-Authenticate': challenge });
}

/** The 401 for an expired access token (what `authenticateBearer` answers, and `expired_token` simulates). */
export function expiredTokenResponse(): Response {
  return unauthorized(notAuthenticated, 'The access token has expired.');
}

/** oauthlib's header reading: two whitespace-separated parts, the scheme `bearer` in any case. */
function readBearer(header: string | null): string | undefined {
  const parts = header?.trim().split(/\s+/) ?? [];
  return parts.length === 2 && parts[0]?.toLowerCase() === 'bearer' ? parts[1] : undefined;
}

/**
 * The access token behind the request's `Authorization` header, or the response to send instead: 401 when it
 * is missing, unknown, revoked or expired (RFC 6750 §3.1) or the beneficiary's 13-month grant has run out; 403
 * when the grant was removed (`expire_authenticated_user`).
 */
export async function authenticateBearer(
  context: BlueButtonContext,
  request: Request,
): Promise<{ token: AccessTokenRecord } | { response: Response }> {
  const value = readBearer(request.headers.get('authorization'));
  if (value === undefined) return { response: unauthorized(notAuthenticated) };
  const now = context.now();
  const token = await context.store.getAccessToken(value, now);
  if (!token) return { response: unauthorized(notAuthenticated, 'The access token is invalid.') };
  if (token.expiresAt <= now) return { response: expiredTokenResponse() };
  const grant = await context.store.getGrant(token.clientId, token.patientId);
  if (!grant) return { response: permissionDenied() };
  if (grant.expiresAt <= now) return { response: drfJson({ detail: grantExpiredMessage }, 401, { 'WWW-Authenticate': 'Bearer realm="api"' }) };
  return { token };
}
