import 'server-only';
import { readSimulatedFailures, simulatedApiFailure, type ApiFailureResponses } from '../shared/simulation';
import type { ServerUrls, SmartContext } from './context';
import { dpopSigningAlgs, readProofHeader, shortThumbprint, verifyDpopProof } from './dpop';
import { fhirJson, methodNotAllowed, operationOutcome } from './responses';
import { permits } from './scopes';
import { findPatient, observationsOf, patientResource, syntheticPatients, type SyntheticPatient } from './synthetic-data';
import { verifyAccessToken, type VerifiedAccessToken } from './tokens';

/**
 * The FHIR R4 API at `/fhir`: Patient read and search, Observation read and search, behind a bearer token
 * (RFC 6750) or a DPoP-bound token with its proof (RFC 9449 §7), whose scopes are enforced: `system/` scopes see
 * every patient, `patient/` scopes only the token's.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */

const realm = 'SMART sandbox';

/** RFC 6750 §3: error_description is printable ASCII without `"` and `\` (a curly apostrophe made the simulated refused_scope throw). */
function headerSafe(description: string): string {
  return description.replace(/[‘’]/g, "'").replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '');
}

function challenge(error?: string, description?: string): Record<string, string> {
  const parts = [`realm="${realm}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${headerSafe(description)}"`);
  return { 'WWW-Authenticate': `Bearer ${parts.join(', ')}` };
}

/** RFC 9449 §7.1: the DPoP challenge names the algorithms a proof may use. */
function dpopChallenge(error?: string, description?: string): string {
  const parts = [error ? `error="${error}"` : undefined, description ? `error_description="${headerSafe(description)}"` : undefined, `algs="${dpopSigningAlgs.join(' ')}"`];
  return `DPoP ${parts.filter(Boolean).join(', ')}`;
}

/** 401 for a request under the DPoP scheme (RFC 9449 §7.1), with a fresh nonce when one is asked for. */
function dpopUnauthorized(error: string, description: string, nonce?: string): Response {
  return operationOutcome(401, 'login', description, { 'WWW-Authenticate': dpopChallenge(error, description), ...(nonce ? { 'DPoP-Nonce': nonce } : {}) });
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

const credentialsPattern = /^(bearer|dpop) +(\S+)\s*$/i;

type Authentication = { token: VerifiedAccessToken; nonce?: string } | { response: Response };

async function authenticate(context: SmartContext, request: Request): Promise<Authentication> {
  const header = request.headers.get('authorization');
  if (!header) {
    // RFC 6750 §3.1 and RFC 9449 §7.1: no credentials get a challenge per scheme, without an error code.
    const response = operationOutcome(401, 'login', 'No access token: send "Authorization: Bearer <access_token>", or "Authorization: DPoP <access_token>" with a DPoP proof.', challenge());
    response.headers.append('WWW-Authenticate', dpopChallenge());
    return { response };
  }
  const match = credentialsPattern.exec(header);
  const scheme = match?.[1]?.toLowerCase();
  const value = match?.[2];
  if (!scheme || !value) return { response: invalidToken('The Authorization header must be "Bearer <access_token>" or "DPoP <access_token>".') };
  const verified = await verifyAccessToken(context, value);
  const refuse = (description: string) => ({ response: scheme === 'dpop' ? dpopUnauthorized('invalid_token', description) : invalidToken(description) });
  if ('problem' in verified) return refuse(verified.problem);
  if (await context.store.isAccessTokenRevoked(verified.token.jti)) {
    return refuse('The access token was revoked: its grant was revoked after a used refresh token or code was presented again.');
  }
  const jkt = verified.token.jkt;
  if (scheme === 'bearer') {
    if (jkt) return refuse('This access token is DPoP-bound (cnf.jkt): send it as Authorization: DPoP with a DPoP proof (RFC 9449 §7.1).');
    return verified;
  }
  if (!jkt) return refuse('This access token is a Bearer token (it has no cnf.jkt): send it as Authorization: Bearer (RFC 6750), not under the DPoP scheme.');
  return checkResourceProof(context, request, value, jkt, verified.token);
}

/** RFC 9449 §7.1: the proof of a DPoP-scheme request, its `ath`, and its key against the token's `cnf.jkt`. */
async function checkResourceProof(context: SmartContext, request: Request, accessToken: string, jkt: string, token: VerifiedAccessToken): Promise<Authentication> {
  const nonce = readSimulatedFailures(request).has('dpop_nonce_required') ? await context.dpopNonces.current(context.now()) : undefined;
  const header = readProofHeader(request);
  if ('problem' in header) return { response: dpopUnauthorized('invalid_dpop_proof', header.problem, nonce) };
  if (header.proof === undefined) {
    return { response: dpopUnauthorized('invalid_dpop_proof', 'The request uses the DPoP scheme but carries no DPoP header with a proof (RFC 9449 §7.1).', nonce) };
  }
  const url = new URL(request.url);
  const proof = await verifyDpopProof(context, header.proof, { method: request.method, url: `${url.origin}${url.pathname}`, accessToken, nonceRequired: nonce !== undefined });
  if ('problem' in proof) return { response: dpopUnauthorized('invalid_dpop_proof', proof.problem, nonce) };
  if ('useNonce' in proof) return { response: dpopUnauthorized('use_dpop_nonce', proof.useNonce, nonce) };
  if (proof.jkt !== jkt) {
    return {
      response: dpopUnauthorized(
        'invalid_dpop_proof',
        `The proof's key (thumbprint ${shortThumbprint(proof.jkt)}) is not the key the access token is bound to (cnf.jkt ${shortThumbprint(jkt)}).`,
        nonce,
      ),
    };
  }
  return { token, ...(nonce ? { nonce } : {}) };
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
  const response = type === 'Patient' ? patientRoutes(urls, request, auth.token, id) : observationRoutes(urls, request, auth.token, id);
  // RFC 9449 §9: the next nonce may come with any answer.
  if (auth.nonce) response.headers.set('DPoP-Nonce', auth.nonce);
  return response;
}
