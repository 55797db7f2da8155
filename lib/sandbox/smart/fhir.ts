import 'server-only';
import { simulatedApiFailure, type ApiFailureResponses } from '../shared/simulation';
import type { ServerUrls, SmartContext } from './context';
import { fhirJson, methodNotAllowed, operationOutcome } from './responses';
import { permits } from './scopes';
import { isAccessTokenRevoked } from './store';
import { findPatient, observationsOf, patientResource, syntheticPatients, type SyntheticPatient } from './synthetic-data';
import { verifyAccessToken, type VerifiedAccessToken } from './tokens';

/**
 * The FHIR R4 API at `/fhir`: Patient read and search, Observation read and search, behind a bearer token
 * (RFC 6750) whose scopes are enforced: `system/` scopes see every patient, `patient/` scopes only the token's.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */

const realm = 'SMART sandbox';

function challenge(error?: string, description?: string): Record<string, string> {
  const parts = [`realm="${realm}"`];
  if (error) parts.push(`error="${error}"`);
  // RFC 6750 §3: error_description is printable ASCII without `"` and `\` (a header cannot carry more; a curly
  // apostrophe made the simulated refused_scope throw instead of answering).
  if (description) parts.push(`error_description="${description.replace(/[‘’]/g, "'").replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '')}"`);
  return { 'WWW-Authenticate': `Bearer ${parts.join(', ')}` };
}

/** 401 for a token that is not (or no longer) good (RFC 6750 §3.1). */
export function invalidToken(description: string): Response {
  return operationOutcome(401, 'login', description, challenge('invalid_token', description));
}

function insufficientScope(description: string): Response {
  return operationOutcome(403, 'forbidden', description, challenge('insufficient_scope', description));
}

export const smartApiFailures: ApiFailureResponses = {
  expiredToken: () => invalidToken('The access token has expired.'),
  refusedScope: () => insufficientScope('The access token’s scopes do not permit this request.'),
};

const bearerPattern = /^bearer +(\S+)\s*$/i;

async function authenticate(context: SmartContext, request: Request): Promise<{ token: VerifiedAccessToken } | { response: Response }> {
  const header = request.headers.get('authorization');
  // RFC 6750 §3.1: a request with no credentials gets a challenge without an error code.
  if (!header) return { response: operationOutcome(401, 'login', 'No access token: send "Authorization: Bearer <access_token>".', challenge()) };
  const value = bearerPattern.exec(header)?.[1];
  if (!value) return { response: invalidToken('The Authorization header must be "Bearer <access_token>".') };
  const verified = await verifyAccessToken(context, value);
  if ('problem' in verified) return { response: invalidToken(verified.problem) };
  if (isAccessTokenRevoked(context.store, verified.token.jti)) {
    return { response: invalidToken('The access token was revoked: its grant was revoked after a used refresh token or code was presented again.') };
  }
  return verified;
}

/** Which patients a token may see for one interaction on one resource type, or the 403 that says why not. */
function reach(token: VerifiedAccessToken, resourceType: string, interaction: 'r' | 's'): { all: true } | { patientId: string } | { response: Response } {
  if (permits(token.scopes, ['system'], resourceType, interaction)) return { all: true };
  if (permits(token.scopes, ['patient', 'user'], resourceType, interaction) && token.patientId) return { patientId: token.patientId };
  const what = interaction === 'r' ? 'read' : 'search';
  return { response: insufficientScope(`The token's scopes (${token.scopes.join(' ') || 'none'}) do not permit ${what} on ${resourceType}.`) };
}

function otherPatient(patientId: string, requested: string): Response {
  return insufficientScope(`This token's patient/ scopes reach only Patient/${patientId}, not ${requested}.`);
}

function searchset(urls: ServerUrls, request: Request, resources: Record<string, unknown>[]): Response {
  const url = new URL(request.url);
  return fhirJson({
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: `${urls.issuer}${url.pathname.slice(url.pathname.indexOf('/fhir'))}${url.search}` }],
    entry: resources.map((resource) => ({ fullUrl: `${urls.fhirBase}/${String(resource.resourceType)}/${String(resource.id)}`, resource, search: { mode: 'match' } })),
  });
}

/** `patient=smart-3`, `patient=Patient/smart-3` or `subject=Patient/smart-3` → `smart-3`. */
function referencedPatient(params: URLSearchParams): string | undefined {
  const value = params.get('patient') ?? params.get('subject');
  return value ? value.replace(/^.*Patient\//, '') : undefined;
}

function patientRoutes(urls: ServerUrls, request: Request, token: VerifiedAccessToken, id: string | undefined): Response {
  const access = reach(token, 'Patient', id === undefined ? 's' : 'r');
  if ('response' in access) return access.response;
  const own = 'patientId' in access ? access.patientId : undefined;
  if (id !== undefined) {
    if (own && id !== own) return otherPatient(own, `Patient/${id}`);
    const patient = findPatient(id);
    return patient ? fhirJson(patientResource(patient)) : operationOutcome(404, 'not-found', `Patient/${id} is not known.`);
  }
  const params = new URL(request.url).searchParams;
  const wanted = params.get('_id');
  if (own && wanted && wanted !== own) return otherPatient(own, `Patient/${wanted}`);
  const name = params.get('name')?.toLowerCase();
  const matches = syntheticPatients.filter(
    (p) =>
      (!own || p.patientId === own) &&
      (!wanted || p.patientId === wanted) &&
      (!name || `${p.given} ${p.family}`.toLowerCase().includes(name)),
  );
  return searchset(urls, request, matches.map(patientResource));
}

function observationRoutes(urls: ServerUrls, request: Request, token: VerifiedAccessToken, id: string | undefined): Response {
  const access = reach(token, 'Observation', id === undefined ? 's' : 'r');
  if ('response' in access) return access.response;
  const own = 'patientId' in access ? access.patientId : undefined;
  if (id !== undefined) {
    const observation = syntheticPatients.flatMap(observationsOf).find((o) => o.id === id);
    if (!observation) return operationOutcome(404, 'not-found', `Observation/${id} is not known.`);
    const subject = String((observation.subject as { reference: string }).reference);
    if (own && subject !== `Patient/${own}`) return otherPatient(own, `Observation/${id} (of ${subject})`);
    return fhirJson(observation);
  }
  const named = referencedPatient(new URL(request.url).searchParams);
  if (own && named && named !== own) return otherPatient(own, `Patient/${named}`);
  const target = named ?? own;
  const patients: SyntheticPatient[] = target ? [findPatient(target)].filter((p): p is SyntheticPatient => p !== undefined) : [...syntheticPatients];
  return searchset(urls, request, patients.flatMap(observationsOf));
}

/** A bearer-protected FHIR interaction: `segments` are the path after `/fhir`. */
export async function handleFhirData(context: SmartContext, request: Request, urls: ServerUrls, segments: string[]): Promise<Response> {
  const [type, id, ...extra] = segments;
  if (type !== 'Patient' && type !== 'Observation') {
    return operationOutcome(404, 'not-supported', `This server serves Patient and Observation only, not ${type ?? '(none)'}.`);
  }
  if (extra.length > 0) return operationOutcome(404, 'not-supported', `${segments.join('/')} is not an interaction this server supports.`);
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  const auth = await authenticate(context, request);
  if ('response' in auth) return auth.response;
  const simulated = simulatedApiFailure(request, smartApiFailures);
  if (simulated) return simulated;
  return type === 'Patient' ? patientRoutes(urls, request, auth.token, id) : observationRoutes(urls, request, auth.token, id);
}
