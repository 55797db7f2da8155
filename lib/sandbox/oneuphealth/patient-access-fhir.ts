import 'server-only';
import { simulatedApiFailure } from '../shared/simulation';
import { getBearerToken, unauthorized } from './bearer';
import { getBaseUrl, type OneUpContext } from './context';
import { handleRead, handleSearch } from './fhir-search';
import { createPatientAccessCapabilityStatement, createSmartConfiguration } from './metadata';
import { lookupAccessToken } from './patient-access-token';
import { fhirResponse, jsonResponse, methodNotAllowed, operationOutcome } from './responses';
import { demoPlanDataset, isOneUpResourceType } from './synthetic-data';
import { patientAccessApiFailures } from './simulation';

/**
 * The demo plan's Patient Access FHIR R4 server under `/r4`: every search and read is limited to the member who
 * signed in; the token is the opaque one from `/oauth2/token`.
 */

const readScopes = ['user/*.read', 'patient/*.read'];

/** Dispatches `rest`, the segments after `/r4`. */
export async function routePatientAccessFhir(context: OneUpContext, request: Request, rest: string[]): Promise<Response> {
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  const base = getBaseUrl(context, request);
  const fhirBaseUrl = `${base}/r4`;
  const authorizeUrl = `${base}/oauth2/authorize/test`;
  const tokenUrl = `${base}/oauth2/token`;
  const [first, second, ...extra] = rest;
  if (first === 'metadata' && second === undefined) {
    return fhirResponse(createPatientAccessCapabilityStatement(fhirBaseUrl, authorizeUrl, tokenUrl, context.now()));
  }
  if (first === '.well-known' && second === 'smart-configuration' && extra.length === 0) {
    return jsonResponse(createSmartConfiguration(base, authorizeUrl, tokenUrl, `${base}/oauth2/certs`));
  }
  if (first === undefined || !isOneUpResourceType(first) || extra.length > 0) {
    return operationOutcome(404, 'not-supported', `Unknown resource type or operation: ${rest.join('/')}`);
  }
  const token = getBearerToken(request);
  if (!token) return unauthorized('Missing bearer token');
  const found = await lookupAccessToken(context, token);
  if ('problem' in found) return unauthorized(found.problem === 'expired' ? 'Access token expired' : 'Invalid access token', 'invalid_token');
  if (!found.grant.scopes.some((scope) => readScopes.includes(scope))) {
    return operationOutcome(403, 'forbidden', 'The token grants no read scope (user/*.read or patient/*.read)');
  }
  const simulated = simulatedApiFailure(request, patientAccessApiFailures);
  if (simulated) return simulated;
  const scope = { dataset: demoPlanDataset(context.demoPlanMembers), members: [found.grant.memberIndex] };
  if (second === undefined) return handleSearch(scope, first, new URL(request.url), fhirBaseUrl, context.now());
  return handleRead(scope, first, second);
}
