import 'server-only';
import { decodeSegment } from '../shared/path';
import { createJwks } from '../shared/signing-key';
import { withTokenSimulation } from '../shared/simulation';
import { bulkBasePath, routeBulk } from './bulk-server';
import type { OneUpContext } from './context';
import { getRealmIssuer, handleKeycloakToken, realmName } from './keycloak-token';
import { createRealmConfiguration } from './metadata';
import { handleAuthorize, handleConsent, handleLogin } from './patient-access-authorize';
import { routePatientAccessFhir } from './patient-access-fhir';
import { handlePatientAccessToken } from './patient-access-token';
import { jsonResponse, methodNotAllowed } from './responses';
import { keycloakTokenFailures, patientAccessTokenFailures } from './simulation';

/** Path segments after the mount point, each percent-decoded, so `%24export` and `$export` match alike. */
export function splitPath(path: string): string[] {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  return trimmed === '' ? [] : trimmed.split('/').map(decodeSegment);
}

const bulkPrefix = splitPath(bulkBasePath);

function startsWith(segments: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((segment, i) => segments[i] === segment);
}

// Real Keycloak also lists `x5c`/`x5t` and an RSA-OAEP encryption key; the signing key is all a verifier needs.
async function jwks(context: OneUpContext, request: Request): Promise<Response> {
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  return jsonResponse(createJwks(await context.getSigningKey()));
}

/**
 * The realm's token endpoint, which also reads the form body of a GET: the docs send the token request as
 * `curl -X GET -d …` (a known deviation in the provider file).
 */
export function isKeycloakTokenPath(path: string): boolean {
  const [first, second, realm, ...rest] = splitPath(path);
  return first === 'auth' && second === 'realms' && realm !== undefined && rest.join('/') === 'protocol/openid-connect/token';
}

/** `/auth/realms/{realm}/…`: Keycloak's token, certs and discovery endpoints of realm `dev-portal`. */
function routeKeycloak(context: OneUpContext, request: Request, realm: string, rest: string[]): Response | Promise<Response> {
  if (realm !== realmName) return jsonResponse({ error: 'Realm does not exist' }, 404);
  const key = rest.join('/');
  switch (key) {
    case 'protocol/openid-connect/token':
      return withTokenSimulation(request, keycloakTokenFailures, () => handleKeycloakToken(context, request));
    case 'protocol/openid-connect/certs':
      return jwks(context, request);
    case '.well-known/openid-configuration':
      if (request.method !== 'GET') return methodNotAllowed(['GET']);
      return jsonResponse(createRealmConfiguration(getRealmIssuer(context, request)));
  }
  return jsonResponse({ error: 'Unable to find matching target resource method' }, 404);
}

function routeOAuth2(context: OneUpContext, request: Request, rest: string[]): Response | Promise<Response> {
  const [first, systemId, step, ...extra] = rest;
  if (first === 'token' && systemId === undefined) return withTokenSimulation(request, patientAccessTokenFailures, () => handlePatientAccessToken(context, request));
  if (first === 'certs' && systemId === undefined) return jwks(context, request);
  if (first === 'authorize' && systemId !== undefined && extra.length === 0) {
    if (step === undefined) return handleAuthorize(context, request, systemId);
    if (step === 'login') return handleLogin(context, request, systemId);
    if (step === 'consent') return handleConsent(context, request, systemId);
  }
  return jsonResponse({ error: 'not_found', error_description: 'Unknown OAuth endpoint' }, 404);
}

/**
 * Dispatches one request to the emulated 1upHealth endpoint for `path` (the part after the mount point):
 * the Keycloak realm under `/auth`, the bison FHIR and bulk server under `/v1`, and the demo plan's
 * Patient Access OAuth (`/oauth2`) and FHIR (`/r4`) endpoints.
 */
export async function routeRequest(context: OneUpContext, request: Request, path: string): Promise<Response> {
  const segments = splitPath(path);
  const [first, second, third, ...rest] = segments;
  if (first === 'auth' && second === 'realms' && third !== undefined) return routeKeycloak(context, request, third, rest);
  if (startsWith(segments, bulkPrefix)) return routeBulk(context, request, segments.slice(bulkPrefix.length));
  if (first === 'v1') return jsonResponse({ error: 'not_found', error_description: `No bulk export tenant at /${segments.join('/')}` }, 404);
  if (first === 'oauth2') return routeOAuth2(context, request, segments.slice(1));
  if (first === 'r4') return routePatientAccessFhir(context, request, segments.slice(1));
  return jsonResponse({ error: 'not_found', error_description: 'Unknown 1upHealth sandbox path' }, 404);
}
