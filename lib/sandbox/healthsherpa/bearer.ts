import 'server-only';
import type { HealthSherpaContext } from './context';
import { authenticateHeader } from './doorkeeper';
import type { TokenRecord } from './oauth-store';
import { apiError, apiJson } from './api-responses';

// Doorkeeper's invalid_token descriptions, for the `oauth` error format.
const oauthDescriptions = {
  unknown: 'The access token is invalid',
  expired: 'The access token expired',
  revoked: 'The access token was revoked',
} as const;

type Rejection = 'missing' | keyof typeof oauthDescriptions;

export function rejectionResponse(context: HealthSherpaContext, rejection: Rejection): Response {
  if (context.apiAuthErrors === 'oauth') {
    // Doorkeeper treats a request without a token like an unknown token.
    const failure = { error: 'invalid_token', description: oauthDescriptions[rejection === 'missing' ? 'unknown' : rejection] };
    return apiJson({ error: failure.error, error_description: failure.description }, 401, {
      'WWW-Authenticate': authenticateHeader(failure),
    });
  }
  // The authentication page's Troubleshooting section: one body for invalid and expired tokens, another for no header.
  return rejection === 'missing'
    ? apiError(401, 'missing_authorization', 'Missing authorization header')
    : apiError(401, 'invalid_token', 'The access token is invalid.');
}

/**
 * Authenticates a Partner API request by its `Authorization: Bearer` header. No header (or an empty one) is
 * `missing_authorization`; another scheme, or an unknown, expired or revoked token, is `invalid_token`.
 */
export async function authenticateBearer(
  context: HealthSherpaContext,
  request: Request,
): Promise<{ token: TokenRecord } | { response: Response }> {
  const header = request.headers.get('authorization')?.trim() ?? '';
  if (!header) return { response: rejectionResponse(context, 'missing') };
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return { response: rejectionResponse(context, 'unknown') };
  const status = await context.oauth.checkAccessToken(match[1]);
  return 'record' in status ? { token: status.record } : { response: rejectionResponse(context, status.rejection) };
}
