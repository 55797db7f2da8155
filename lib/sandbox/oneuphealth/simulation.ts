import 'server-only';
import type { ApiFailureResponses, TokenFailureResponses } from '../shared/simulation';
import { unauthorized } from './bearer';
import { badClientDescription } from './keycloak-token';
import { oauthError, operationOutcome } from './responses';

/**
 * 1upHealth's answers to the simulated failures: Keycloak's (and the demo plan's) OAuth error bodies on the token
 * endpoints, OperationOutcomes on the FHIR servers.
 * @see ../shared/simulation.ts
 */

function tokenFailures(invalidClientDescription: string): TokenFailureResponses {
  return {
    invalidClient: () => oauthError(401, 'invalid_client', invalidClientDescription),
    rateLimited: () => oauthError(429, 'too_many_requests', 'Too many requests: reuse the token until it expires', { 'Retry-After': '60' }),
    serverError: () => oauthError(503, 'temporarily_unavailable', 'The server is temporarily unavailable', { 'Retry-After': '1' }),
    revokedRefresh: () => oauthError(400, 'invalid_grant', 'Invalid refresh token'),
  };
}

/** The dev-portal Keycloak realm's token endpoint. */
export const keycloakTokenFailures = tokenFailures(badClientDescription);
/** The demo plan's Patient Access token endpoint. */
export const patientAccessTokenFailures = tokenFailures('Invalid client credentials');

/** The bison bulk FHIR server. */
export const bulkApiFailures: ApiFailureResponses = {
  expiredToken: () => unauthorized('Token is expired', 'invalid_token'),
  refusedScope: () =>
    operationOutcome(403, 'forbidden', 'The token lacks the bulk-data|user/*.rs scope; ask for it at the token endpoint.'),
};

/** The demo plan's Patient Access FHIR server. */
export const patientAccessApiFailures: ApiFailureResponses = {
  expiredToken: () => unauthorized('Access token expired', 'invalid_token'),
  refusedScope: () => operationOutcome(403, 'forbidden', 'The token grants no read scope (user/*.read or patient/*.read)'),
};
