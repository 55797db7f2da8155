import 'server-only';
import type { TokenFailureResponses } from '../shared/simulation';
import { oauthError } from './responses';

/**
 * The SMART sandbox's answers to the simulated token-endpoint failures (`X-Console-Simulate`), as RFC 6749 §5.2
 * bodies; the FHIR side's are in fhir.ts.
 * @see ../shared/simulation.ts
 */
export const smartTokenFailures: TokenFailureResponses = {
  invalidClient: () => oauthError('invalid_client', 'Client authentication failed (simulated failure).'),
  rateLimited: () =>
    oauthError('temporarily_unavailable', 'Too many token requests; retry after the Retry-After delay (simulated failure).', 429, { 'Retry-After': '60' }),
  serverError: () => oauthError('temporarily_unavailable', 'The authorization server is temporarily unavailable (simulated failure).', 503, { 'Retry-After': '1' }),
  revokedRefresh: () => oauthError('invalid_grant', 'The refresh token has been revoked (simulated failure).'),
};
