import 'server-only';
import type { ApiFailureResponses, TokenFailureResponses } from '../shared/simulation';
import { apiError, apiJson } from './api-responses';
import { rejectionResponse } from './bearer';
import type { HealthSherpaContext } from './context';
import { authenticateHeader, doorkeeperError, tokenErrorResponse } from './doorkeeper';

/**
 * HealthSherpa's answers to the simulated failures: Doorkeeper's errors on `/oauth/token`, the Partner API's
 * envelope (or Doorkeeper's body, per `apiAuthErrors`) on `/v2`.
 * @see ../shared/simulation.ts
 */

function plainText(status: number, body: string, headers: Record<string, string>): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store', ...headers } });
}

export const healthSherpaTokenFailures: TokenFailureResponses = {
  invalidClient: () => tokenErrorResponse(doorkeeperError('invalid_client')),
  // Rack::Attack's default throttled response.
  rateLimited: () => plainText(429, 'Retry later\n', { 'Retry-After': '60' }),
  serverError: () => plainText(503, 'Service Unavailable\n', { 'Retry-After': '1' }),
  revokedRefresh: () => tokenErrorResponse(doorkeeperError('invalid_grant')),
};

const insufficientScope = 'The access token has insufficient scope';

export function healthSherpaApiFailures(context: HealthSherpaContext): ApiFailureResponses {
  return {
    expiredToken: () => rejectionResponse(context, 'expired'),
    refusedScope: () =>
      context.apiAuthErrors === 'oauth'
        ? apiJson({ error: 'insufficient_scope', error_description: insufficientScope }, 403, {
            'WWW-Authenticate': authenticateHeader({ error: 'insufficient_scope', description: insufficientScope }),
          })
        : apiError(403, 'insufficient_scope', insufficientScope),
  };
}
