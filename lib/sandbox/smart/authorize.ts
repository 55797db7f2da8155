import 'server-only';
import type { SafeHtml } from '../html';
import { redirectMismatchNote } from '../redirect-uris';
import type { SmartClient } from './clients';
import { findClient, randomId, serverUrls, type ServerUrls, type SmartContext } from './context';
import { errorPage, loginPage, pendingField } from './pages';
import { methodNotAllowed, redirect, withQuery } from './responses';
import { parseResourceScope, scopeProblem, splitScope } from './scopes';
import { pendingLifetimeMs, type AuthorizationRequestFields, type PendingAuthorization } from './store';
import { findPatientByLogin } from './synthetic-data';

/**
 * `GET /auth/authorize` checks a SMART App Launch authorization request (sent whole, or pushed first and named by
 * `request_uri`, RFC 9126) and shows the sign-in page; the page posts back to the same URL. A request whose client
 * or redirect URI cannot be trusted gets an error page, never a redirect (RFC 6749 §4.1.2.1); every other error
 * goes back to the app with `error`, a description and `state`.
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#obtain-authorization-code
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-4
 */

/** How long a code can be exchanged (short: it is single use). */
export const codeLifetimeMs = 60_000;

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);
const s256Challenge = /^[A-Za-z0-9_-]{43}$/;
/** A SHA-256 JWK thumbprint, base64url (RFC 9449 §10). */
const jwkThumbprint = /^[A-Za-z0-9_-]{43}$/;

/**
 * Why `aud` does not name this server's FHIR base, or undefined when it does. The host may be the one the request
 * came to or a loopback alias of it on the same port (the console reaches its sandboxes by 127.0.0.1, browsers by
 * localhost); the path must be the FHIR base's.
 */
function audienceProblem(aud: string, urls: ServerUrls): string | undefined {
  const mismatch = `aud "${aud}" is not this server's FHIR base URL (${urls.fhirBase}); a token may only be asked for a server that serves it.`;
  let url: URL;
  try {
    url = new URL(aud);
  } catch {
    return `aud "${aud}" is not an absolute URL; it must be the FHIR base URL (${urls.fhirBase}).`;
  }
  const own = new URL(urls.origin);
  const sameHost = url.host === own.host || (loopbackHosts.has(url.hostname) && loopbackHosts.has(own.hostname) && url.port === own.port);
  if (!sameHost || url.protocol !== own.protocol || url.search || url.hash) return mismatch;
  return url.pathname.replace(/\/$/, '') === new URL(urls.fhirBase).pathname ? undefined : mismatch;
}

/** An authorization request that passed every check: what the sign-in and the code need. */
export interface CheckedAuthorizationRequest extends Omit<AuthorizationRequestFields, 'clientId'> {
  client: SmartClient;
}

/** The error codes an authorization request can be refused with (RFC 6749 §4.1.2.1, RFC 9126 §2.3). */
export type AuthorizationErrorCode = 'invalid_request' | 'unsupported_response_type' | 'unauthorized_client' | 'invalid_scope';

/**
 * Why an authorization request is refused: `untrusted` when the client or redirect URI cannot be trusted (no
 * redirect is possible), otherwise with the redirect URI and state the app gets its error at.
 */
export type AuthorizationRefusal = { error: AuthorizationErrorCode; description: string } & (
  | { untrusted: true; note?: SafeHtml }
  | { untrusted: false; redirectUri: string; state: string }
);

/**
 * Checks an authorization request's parameters, in order; the first failure is the refusal. The authorize endpoint
 * and the PAR endpoint share it (RFC 9126 §2.1: pushed parameters are checked as the authorize endpoint would).
 * `pushed` says the request reached the PAR endpoint; otherwise a client that must push is refused (RFC 9126 §6).
 */
export async function checkAuthorizationRequest(
  context: SmartContext,
  params: URLSearchParams,
  urls: ServerUrls,
  options: { pushed: boolean },
): Promise<CheckedAuthorizationRequest | { refusal: AuthorizationRefusal }> {
  const untrusted = (description: string, note?: SafeHtml) => ({ refusal: { error: 'invalid_request' as const, description, untrusted: true as const, ...(note ? { note } : {}) } });
  const clientId = params.get('client_id');
  if (!clientId) return untrusted('client_id is missing.');
  const client = await findClient(context, clientId);
  if (!client) return untrusted(`No client is registered with client_id "${clientId}".`);
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return untrusted('redirect_uri is missing; SMART App Launch requires it.');
  // RFC 9700 §2.1: exact string match against the registered URIs, no prefix or pattern.
  if (!client.redirectUris.includes(redirectUri)) {
    return untrusted(`redirect_uri is not registered for client "${clientId}".`, redirectMismatchNote(redirectUri, client.redirectUris));
  }

  const state = params.get('state') ?? '';
  const fail = (error: AuthorizationErrorCode, description: string) => ({ refusal: { error, description, untrusted: false as const, redirectUri, state } });
  if (!options.pushed && client.requirePushedAuthorizationRequests) {
    return fail(
      'invalid_request',
      `The client "${clientId}" must push its authorization request to the PAR endpoint first (require_pushed_authorization_requests, RFC 9126 §5).`,
    );
  }
  const responseType = params.get('response_type');
  if (!responseType) return fail('invalid_request', 'response_type is missing; it must be code.');
  if (responseType !== 'code') return fail('unsupported_response_type', `response_type "${responseType}" is not supported; only code is.`);
  if (!client.grantTypes.includes('authorization_code')) {
    return fail('unauthorized_client', `The client "${clientId}" is not registered for the authorization_code grant.`);
  }
  if (!state) return fail('invalid_request', 'state is missing; SMART App Launch requires an unguessable state on every request.');
  const codeChallenge = params.get('code_challenge');
  if (!codeChallenge) return fail('invalid_request', 'code_challenge is missing: this server requires PKCE with S256 (RFC 7636).');
  const method = params.get('code_challenge_method');
  if (method !== 'S256') {
    return fail(
      'invalid_request',
      method === null
        ? 'code_challenge_method is missing, which means plain (RFC 7636 §4.3); only S256 is accepted.'
        : `code_challenge_method "${method}" is refused; SMART App Launch 2.x requires S256 (plain is not allowed).`,
    );
  }
  if (!s256Challenge.test(codeChallenge)) {
    return fail('invalid_request', 'code_challenge is not an S256 challenge (43 base64url characters: BASE64URL(SHA256(code_verifier))).');
  }
  const aud = params.get('aud');
  if (!aud) return fail('invalid_request', `aud is missing; SMART App Launch requires the FHIR base URL the token is for (${urls.fhirBase}).`);
  const audProblem = audienceProblem(aud, urls);
  if (audProblem) return fail('invalid_request', audProblem);
  if (params.has('launch')) return fail('invalid_request', 'launch is an EHR launch parameter; this server supports standalone launch only.');

  const scopes = splitScope(params.get('scope'));
  if (scopes.length === 0) return fail('invalid_scope', 'scope is missing; ask for e.g. "openid fhirUser launch/patient patient/*.rs".');
  const system = scopes.filter((scope) => parseResourceScope(scope)?.context === 'system');
  if (system.length > 0) return fail('invalid_scope', `${system.join(' ')}: system/ scopes are for Backend Services (client_credentials), not for a user's authorization.`);
  const problems = scopes.map((scope) => scopeProblem(scope, client.scopes)).filter((p): p is string => p !== undefined);
  if (problems.length > 0) return fail('invalid_scope', problems.join(' '));
  const dpopJkt = params.get('dpop_jkt');
  if (dpopJkt !== null && !jwkThumbprint.test(dpopJkt)) {
    return fail('invalid_request', 'dpop_jkt is not a JWK SHA-256 thumbprint (43 base64url characters, RFC 9449 §10 and RFC 7638).');
  }
  const nonce = params.get('nonce');
  return { client, redirectUri, state, scopes, codeChallenge, ...(nonce ? { nonce } : {}), ...(dpopJkt ? { dpopJkt } : {}) };
}

/** The authorize endpoint's answer to a refusal: an error page when nobody can be trusted with it, else a redirect. */
function refusalResponse(refusal: AuthorizationRefusal): Response {
  if (refusal.untrusted) return errorPage(refusal.error, refusal.description, refusal.note);
  const { redirectUri, state, error, description } = refusal;
  return redirect(withQuery(redirectUri, { error, error_description: description, ...(state ? { state } : {}) }));
}

/**
 * A `request_uri` from the PAR endpoint (RFC 9126 §4): only the pushed parameters count, and the record is used up.
 * An unknown one, or one of another client, gets an error page; an expired or used one goes back to the pushed
 * redirect URI with `invalid_request_uri`.
 */
async function takePushedRequest(context: SmartContext, params: URLSearchParams, requestUri: string): Promise<CheckedAuthorizationRequest | Response> {
  const record = await context.store.getPushed(requestUri);
  if (!record) {
    return errorPage('invalid_request_uri', `request_uri "${requestUri}" is unknown here: it was not issued by this server's PAR endpoint, or it was forgotten long ago.`);
  }
  const clientId = params.get('client_id');
  if (!clientId) return errorPage('invalid_request', 'client_id is missing; it must be sent with request_uri (RFC 9126 §4).');
  if (clientId !== record.clientId) return errorPage('invalid_request', `The request_uri was pushed by another client, not "${clientId}".`);
  const client = await findClient(context, clientId);
  if (!client) return errorPage('invalid_request', `No client is registered with client_id "${clientId}".`);
  const fail = (description: string) =>
    redirect(withQuery(record.redirectUri, { error: 'invalid_request_uri', error_description: description, ...(record.state ? { state: record.state } : {}) }));
  const used = () => fail('The request_uri was already used; a pushed authorization request is single use (RFC 9126 §4). Push the request again.');
  if (await context.store.pushedUsed(requestUri)) return used();
  if (record.expiresAt <= context.now()) {
    return fail(
      record.simulatedExpiry
        ? `The request_uri has expired (simulated failure); pushed requests live ${record.lifetimeSeconds} s. Push the request again.`
        : `The request_uri expired after ${record.lifetimeSeconds} s (RFC 9126 §4); push the authorization request again.`,
    );
  }
  // One step across instances: of two uses racing, one wins and the other is told the request_uri was used.
  if (!(await context.store.claimPushed(record))) return used();
  const { redirectUri, state, scopes, codeChallenge, nonce, dpopJkt } = record;
  return { client, redirectUri, state, scopes, codeChallenge, ...(nonce ? { nonce } : {}), ...(dpopJkt ? { dpopJkt } : {}) };
}

function showLogin(context: SmartContext, pending: PendingAuthorization, clientName: string, extra: { error?: string; username?: string } = {}): Response {
  return loginPage({ clientName, scopes: pending.scopes, pendingId: pending.id, formAction: `${context.mountPath}/auth/authorize`, ...extra });
}

/** The sign-in form's answer: deny, a wrong login (the form again), or the code sent back to the app. */
async function handleDecision(context: SmartContext, request: Request): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  const id = form.get(pendingField) ?? '';
  const pending = await context.store.getPending(id);
  const client = pending ? await findClient(context, pending.clientId) : undefined;
  const gone = () => errorPage('invalid_request', 'This sign-in has expired or was already completed. Start again from the app.');
  if (!pending || !client || pending.expiresAt <= context.now()) return gone();
  if (form.get('decision') === 'deny') {
    if (!(await context.store.takePending(id))) return gone();
    return redirect(withQuery(pending.redirectUri, { error: 'access_denied', error_description: 'The user denied the request.', state: pending.state }));
  }
  const username = form.get('username') ?? '';
  const patient = findPatientByLogin(username, form.get('password') ?? '');
  if (!patient) return showLogin(context, pending, client.clientName, { error: 'The username or password is not correct.', username });

  // Taken, not just read: of two approvals racing (on one instance or two), one gets a code.
  if (!(await context.store.takePending(id))) return gone();
  const code = randomId();
  await context.store.putCode({
    code,
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    codeChallenge: pending.codeChallenge,
    scopes: pending.scopes,
    patientId: patient.patientId,
    username: patient.username,
    ...(pending.nonce ? { nonce: pending.nonce } : {}),
    ...(pending.dpopJkt ? { dpopJkt: pending.dpopJkt } : {}),
    expiresAt: context.now() + codeLifetimeMs,
  });
  return redirect(withQuery(pending.redirectUri, { code, state: pending.state }));
}

/** `GET /auth/authorize` (the request) and `POST /auth/authorize` (the sign-in form). */
export async function handleAuthorize(context: SmartContext, request: Request): Promise<Response> {
  if (request.method === 'POST') return handleDecision(context, request);
  if (request.method !== 'GET') return methodNotAllowed(['GET', 'POST']);
  const params = new URL(request.url).searchParams;
  const requestUri = params.get('request_uri');
  let checked: CheckedAuthorizationRequest;
  if (requestUri !== null) {
    const pushed = await takePushedRequest(context, params, requestUri);
    if (pushed instanceof Response) return pushed;
    checked = pushed;
  } else {
    const result = await checkAuthorizationRequest(context, params, serverUrls(context, request), { pushed: false });
    if ('refusal' in result) return refusalResponse(result.refusal);
    checked = result;
  }
  const pending: PendingAuthorization = {
    id: randomId(),
    clientId: checked.client.clientId,
    redirectUri: checked.redirectUri,
    state: checked.state,
    scopes: checked.scopes,
    codeChallenge: checked.codeChallenge,
    ...(checked.nonce ? { nonce: checked.nonce } : {}),
    ...(checked.dpopJkt ? { dpopJkt: checked.dpopJkt } : {}),
    expiresAt: context.now() + pendingLifetimeMs,
  };
  await context.store.putPending(pending);
  return showLogin(context, pending, checked.client.clientName);
}
