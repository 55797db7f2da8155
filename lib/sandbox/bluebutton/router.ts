import 'server-only';
import { decodeSegment } from '../shared/path';
import { simulatedApiFailure, withTokenSimulation } from '../shared/simulation';
import { consentPath, handleAuthorize, loginPath } from './authorize';
import { authenticateBearer } from './bearer';
import { handleConsent } from './consent';
import { getBaseUrl, type BlueButtonContext } from './context';
import { handleExpireGrant } from './expire-grant';
import { handleFhirResource } from './fhir';
import { handleIntrospect } from './introspect';
import { handleLogin } from './login';
import { createCapabilityStatement } from './metadata';
import { djangoJson, drfNotFound, fhirJson, methodNotAllowed, pageNotFound } from './responses';
import { handleRevoke } from './revoke';
import { blueButtonApiFailures, blueButtonTokenFailures } from './simulation';
import { handleToken } from './token';
import { handleUserInfo } from './userinfo';
import { findUserByPatientId, type SyntheticUser } from './users';
import { createOpenIdConfiguration, createSmartConfiguration } from './well-known';
import type { AccessTokenRecord } from './store';

/**
 * Path segments after the mount point, each percent-decoded once. A trailing slash is dropped: Blue Button's
 * routes take both forms (`^token/?$`) and answer both alike, with no redirect.
 */
export function splitPath(path: string): string[] {
  const segments = path.replace(/^\/+/, '').split('/').map(decodeSegment);
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  return segments;
}

function onlyGet(request: Request, handler: () => Response | Promise<Response>): Response | Promise<Response> {
  return request.method === 'GET' ? handler() : methodNotAllowed(['GET']);
}

type Authenticated = (token: AccessTokenRecord, user: SyntheticUser) => Response;

async function withBearer(context: BlueButtonContext, request: Request, handler: Authenticated): Promise<Response> {
  const result = await authenticateBearer(context, request);
  if ('response' in result) return result.response;
  const simulated = simulatedApiFailure(request, blueButtonApiFailures);
  if (simulated) return simulated;
  const user = findUserByPatientId(result.token.patientId);
  return user ? handler(result.token, user) : drfNotFound();
}

function routeFhir(context: BlueButtonContext, request: Request, rest: string[]): Response | Promise<Response> {
  const baseUrl = getBaseUrl(context, request);
  const [first, second, ...extra] = rest;
  if (first === 'metadata' && second === undefined) {
    return onlyGet(request, () => fhirJson(createCapabilityStatement(baseUrl, context.now())));
  }
  if (first === '.well-known' && second === 'smart-configuration' && extra.length === 0) {
    return onlyGet(request, () => djangoJson(createSmartConfiguration(baseUrl), 200));
  }
  if (first === undefined || extra.length > 0) return pageNotFound();
  const url = new URL(request.url);
  return onlyGet(request, () =>
    withBearer(context, request, (token, user) =>
      handleFhirResource(
        { fhirBaseUrl: `${baseUrl}/v2/fhir`, params: url.searchParams, nowMs: context.now(), token, user },
        first,
        second,
      ),
    ),
  );
}

const openIdPaths = new Set([
  'v2/connect/.well-known/openid-configuration',
  '.well-known/openid-configuration',
  '.well-known/openid-configuration-v2',
]);

/** Dispatches one request to the emulated Blue Button endpoint for `path` (the part after the mount point). */
export async function routeRequest(context: BlueButtonContext, request: Request, path: string): Promise<Response> {
  const segments = splitPath(path);
  const key = segments.join('/');
  switch (`/${key}`) {
    case '/v2/o/authorize':
      return handleAuthorize(context, request);
    case consentPath:
      return handleConsent(context, request);
    case loginPath:
      return handleLogin(context, request);
    case '/v2/o/token':
      return withTokenSimulation(request, blueButtonTokenFailures, () => handleToken(context, request));
    case '/v2/o/revoke_token':
      return handleRevoke(context, request);
    case '/v2/o/introspect':
      return handleIntrospect(context, request);
    case '/v2/connect/userinfo':
      return onlyGet(request, () => withBearer(context, request, handleUserInfo));
  }
  if (openIdPaths.has(key)) return onlyGet(request, () => djangoJson(createOpenIdConfiguration(getBaseUrl(context, request)), 200));
  const [first, second, third, fourth, ...extra] = segments;
  if (first === 'v2' && second === 'fhir') return routeFhir(context, request, segments.slice(2));
  if (first === 'v2' && second === 'o' && third === 'expire_authenticated_user' && fourth && extra.length === 0) {
    return handleExpireGrant(context, request, fourth);
  }
  return pageNotFound();
}
