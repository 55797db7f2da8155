import 'server-only';
import type { ApiFailureResponses, TokenFailureResponses } from '../shared/simulation';
import { findAccountByCredentials } from './credentials';
import { operationOutcomeResponse } from './operation-outcome';
import { goTextError } from './responses';
import { parseBasicCredentials, rateLimitMessage } from './token';

/**
 * BCDA's answers to the simulated failures: SSAS's text errors on `/auth/token` (no refresh tokens, so
 * `revoked_refresh` has no effect) and the v2 OperationOutcome on the API.
 * @see ../shared/simulation.ts
 */

/** SSAS's token window is 300 s and its `Retry-After` the whole window. */
const rateLimitRetryAfterSeconds = 300;

export const bcdaTokenFailures: TokenFailureResponses = {
  invalidClient: () => goTextError(401),
  rateLimited: async (request) => {
    const credentials = parseBasicCredentials(request.headers.get('authorization'));
    const account = credentials && (await findAccountByCredentials(credentials.clientId, credentials.clientSecret));
    // SSAS names the ACO it throttles; it checks the credentials first, so unknown ones are still a 401.
    if (!account) return goTextError(credentials ? 401 : 400);
    return goTextError(429, rateLimitMessage(account.acoId), { 'Retry-After': String(rateLimitRetryAfterSeconds) });
  },
  serverError: () => goTextError(503, 'Service Unavailable', { 'Retry-After': '1' }),
};

export const bcdaApiFailures: ApiFailureResponses = {
  expiredToken: () => operationOutcomeResponse(401, 'Expired Token'),
  refusedScope: () => operationOutcomeResponse(403, 'Forbidden: the token does not grant access to this resource'),
};
