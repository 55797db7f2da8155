import 'server-only';
import type { ApiFailureResponses, TokenFailureResponses } from '../shared/simulation';
import { expiredTokenResponse } from './bearer';
import { drfJson, oauthError, permissionDenied } from './responses';

/**
 * Blue Button's answers to the simulated failures: oauthlib's errors on the token endpoint, Django REST
 * Framework's on the FHIR views.
 * @see ../shared/simulation.ts
 */

const throttleSeconds = 60;

export const blueButtonTokenFailures: TokenFailureResponses = {
  invalidClient: () => oauthError('invalid_client'),
  // DRF's `Throttled` exception: its default detail and `Retry-After`.
  rateLimited: () =>
    drfJson({ detail: `Request was throttled. Expected available in ${throttleSeconds} seconds.` }, 429, { 'Retry-After': String(throttleSeconds) }),
  // DRF's `ServiceUnavailable` exception and its default detail.
  serverError: () => drfJson({ detail: 'Service temporarily unavailable, try again later.' }, 503, { 'Retry-After': '1' }),
  revokedRefresh: () => oauthError('invalid_grant'),
};

export const blueButtonApiFailures: ApiFailureResponses = {
  expiredToken: expiredTokenResponse,
  refusedScope: () => permissionDenied(),
};
