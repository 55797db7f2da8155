import 'server-only';
import type { ApiFailureResponses, TokenFailureResponses } from '../shared/simulation';
import { expiredTokenResponse } from './bearer';
import type { CandidContext } from './context';
import { fernError, unauthorized } from './responses';

/**
 * Candid's answers to the simulated failures, as Fern typed errors. Candid issues no refresh tokens, so
 * `revoked_refresh` has no effect.
 * @see ../shared/simulation.ts
 */

export const candidTokenFailures: TokenFailureResponses = {
  invalidClient: () => unauthorized(401, 'Invalid client credentials'),
  rateLimited: () =>
    fernError(429, 'TooManyRequestsError', { message: 'Too many token requests: reuse your token until it expires.' }, { 'Retry-After': '60' }),
  serverError: () =>
    fernError(503, 'ServiceUnavailableError', { message: 'The service is temporarily unavailable; try again shortly.' }, { 'Retry-After': '1' }),
};

export function candidApiFailures(context: CandidContext): ApiFailureResponses {
  return {
    expiredToken: () => expiredTokenResponse(context),
    refusedScope: () => unauthorized(403, 'This API key is not permitted to access this resource.'),
  };
}
