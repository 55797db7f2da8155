import 'server-only';
import { redirectMismatchNote } from '../redirect-uris';
import type { OneUpContext } from './context';
import { demoPlanUsers, findDemoPlanUser, findPatientAccessApp } from './clients';
import { readFormBody } from './form';
import { consentPage, errorPage, loginPage } from './patient-access-pages';
import { authorizationCodeLifetimeMs, pendingAuthorizationLifetimeMs, randomHex, type PendingAuthorization } from './patient-access-store';
import { methodNotAllowed, redirectResponse } from './responses';
import { demoPlanDataset, findMemberIndex, getMember } from './synthetic-data';

/**
 * The demo plan's authorization endpoint, `/oauth2/authorize/{system-id}`: validate the request, show the
 * member sign-in, then consent, then redirect with a 5-minute single-use code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */

/** The demo plan's system ids (1up: `test` or `demoplan`). */
export const demoPlanSystemIds = ['test', 'demoplan'];

/** Scopes the demo plan grants; `user/*.read` when none is asked for. */
export const patientAccessScopes = ['user/*.read', 'patient/*.read', 'launch/patient', 'openid'];
const defaultScope = 'user/*.read';

// RFC 7636 §4.2: the S256 challenge is BASE64URL(SHA256(verifier)), 43 characters.
const challengePattern = /^[A-Za-z0-9_-]{43}$/;

function authorizePath(context: OneUpContext, systemId: string, step: 'login' | 'consent'): string {
  return `${context.mountPath}/oauth2/authorize/${encodeURIComponent(systemId)}/${step}`;
}

function redirectWith(redirectUri: string, params: Record<string, string | undefined>): Response {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return redirectResponse(url.toString());
}

function appName(clientId: string): string {
  return findPatientAccessApp(clientId)?.name ?? clientId;
}

/**
 * `GET /oauth2/authorize/{system-id}`. A bad client or redirect URI is shown on a page and never redirected to
 * (RFC 6749 §4.1.2.1); the redirect URI must equal a registered one exactly (RFC 9700 §2.1). Other errors go back
 * to the app as `error=…&state=…`.
 */
export async function handleAuthorize(context: OneUpContext, request: Request, systemId: string): Promise<Response> {
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  if (!demoPlanSystemIds.includes(systemId)) return errorPage('Unknown health plan', `There is no health plan system "${systemId}".`, 404);
  const params = new URL(request.url).searchParams;
  const clientId = params.get('client_id');
  if (!clientId || !findPatientAccessApp(clientId)) {
    return errorPage('Unknown app', 'The app that sent you here is not registered with this health plan (client_id).');
  }
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri || !context.redirectUris.includes(redirectUri)) {
    return errorPage(
      'Redirect URI mismatch',
      'The redirect_uri is not one registered for this app, so the plan will not send you back to it.',
      400,
      redirectMismatchNote(redirectUri, context.redirectUris),
    );
  }
  const state = params.get('state') ?? undefined;
  const fail = (error: string, description: string) => redirectWith(redirectUri, { error, error_description: description, state });

  if (params.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code');
  const scopes = (params.get('scope') ?? defaultScope).split(' ').filter((scope) => scope.length > 0);
  const unknownScope = scopes.find((scope) => !patientAccessScopes.includes(scope));
  if (unknownScope !== undefined || scopes.length === 0) return fail('invalid_scope', `Unknown scope: ${unknownScope ?? '(empty)'}`);

  const codeChallenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method');
  if (codeChallenge === undefined && method !== null) return fail('invalid_request', 'code_challenge_method without code_challenge');
  if (codeChallenge !== undefined) {
    if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!challengePattern.test(codeChallenge)) return fail('invalid_request', 'code_challenge is not a base64url SHA-256 value');
  }

  const pending: PendingAuthorization = {
    id: randomHex(),
    systemId,
    clientId,
    redirectUri,
    scopes: [...new Set(scopes)],
    state,
    codeChallenge,
    nonce: params.get('nonce') ?? undefined,
    createdAtMs: context.now(),
  };
  await context.patientAccess.savePending(pending);
  return loginPage({ action: authorizePath(context, systemId, 'login'), transactionId: pending.id, appName: appName(clientId), hints: demoPlanUsers });
}

async function findPending(context: OneUpContext, request: Request, systemId: string): Promise<{ pending: PendingAuthorization; form: URLSearchParams } | { response: Response }> {
  if (request.method !== 'POST') return { response: methodNotAllowed(['POST']) };
  const body = await readFormBody(request);
  const form = body.kind === 'form' ? body.params : new URLSearchParams();
  const pending = await context.patientAccess.getPending(form.get('transaction') ?? '');
  if (!pending || pending.systemId !== systemId || context.now() - pending.createdAtMs > pendingAuthorizationLifetimeMs) {
    return { response: errorPage('Sign-in expired', 'This sign-in is unknown or has expired.') };
  }
  return { pending, form };
}

/** `POST /oauth2/authorize/{system-id}/login`: member id and password, then the consent page. */
export async function handleLogin(context: OneUpContext, request: Request, systemId: string): Promise<Response> {
  const found = await findPending(context, request, systemId);
  if ('response' in found) return found.response;
  const { pending, form } = found;
  const memberId = form.get('member_id') ?? '';
  const user = findDemoPlanUser(memberId, form.get('password') ?? '');
  const dataset = demoPlanDataset(context.demoPlanMembers);
  const memberIndex = user ? findMemberIndex(dataset, user.memberId) : undefined;
  if (memberIndex === undefined) {
    return loginPage({
      action: authorizePath(context, systemId, 'login'),
      transactionId: pending.id,
      appName: appName(pending.clientId),
      error: 'The member ID or password is not correct.',
      hints: demoPlanUsers,
      memberId,
    });
  }
  await context.patientAccess.savePending({ ...pending, memberIndex });
  return consentPage({
    action: authorizePath(context, systemId, 'consent'),
    transactionId: pending.id,
    appName: appName(pending.clientId),
    member: getMember(dataset, memberIndex),
    scopes: pending.scopes,
  });
}

/** `POST /oauth2/authorize/{system-id}/consent`: Allow issues the code, Deny returns `access_denied`. */
export async function handleConsent(context: OneUpContext, request: Request, systemId: string): Promise<Response> {
  const found = await findPending(context, request, systemId);
  if ('response' in found) return found.response;
  const { form } = found;
  if (found.pending.memberIndex === undefined) return errorPage('Not signed in', 'Sign in before you answer the consent question.');
  // One answer per sign-in: the pending request is spent either way, and of two answers at once only one is taken.
  const pending = await context.patientAccess.takePending(found.pending.id);
  if (pending?.memberIndex === undefined) return errorPage('Sign-in expired', 'This sign-in is unknown or has expired.');
  if (form.get('decision') !== 'allow') {
    return redirectWith(pending.redirectUri, { error: 'access_denied', error_description: 'The member denied access', state: pending.state });
  }
  const code = randomHex();
  await context.patientAccess.saveCode({
    code,
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    scopes: pending.scopes,
    memberIndex: pending.memberIndex,
    codeChallenge: pending.codeChallenge,
    nonce: pending.nonce,
    expiresAtMs: context.now() + authorizationCodeLifetimeMs,
  });
  return redirectWith(pending.redirectUri, { code, state: pending.state });
}
