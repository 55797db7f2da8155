import 'server-only';
import { redirectMismatchNote } from '../redirect-uris';
import { findAppByClientId, type BlueButtonApp } from './apps';
import type { BlueButtonContext } from './context';
import { readForm, withQuery } from './form';
import { errorPage, loginPage } from './pages';
import { djangoJson, methodNotAllowed, redirect } from './responses';
import { isSupportedScope, parseScope } from './scopes';

/**
 * `GET|POST /v2/o/authorize/`: checks the request the way Blue Button's `AuthorizationView` does, then shows the
 * Medicare.gov login. Blue Button checks PKCE and `state` before the client; an unknown client or redirect URI
 * gets an error page, never a redirect (RFC 6749 §4.1.2.1).
 * @see ../shared/PROVIDERS.md "Authorize validation"
 */

/** The login form's target; the consent form posts to {@link consentPath}. */
export const loginPath = '/mymedicare/login';
export const consentPath = '/v2/o/authorize/consent';

// AuthorizationView._check_for_required_params: missing names are listed in this order, but a short state
// answers on its own straight away.
function checkRequiredParams(params: URLSearchParams): Response | undefined {
  const missing: string[] = [];
  if (!params.get('code_challenge')) missing.push('code_challenge');
  if (!params.get('code_challenge_method')) missing.push('code_challenge_method');
  const state = params.get('state');
  if (!state) missing.push('state');
  else if (state.length < 16) {
    return djangoJson({ status_code: 400, message: 'State parameter should have a minimum of 16 characters' }, 400);
  }
  if (missing.length === 0) return undefined;
  return djangoJson({ status_code: 400, message: `Missing Required Parameter(s): ${missing.join(', ')}` }, 400);
}

/** The request's parameters: the query first, then a POST's form body (Blue Button's `_get_param`). */
async function readAuthorizeParams(request: Request): Promise<URLSearchParams | Response> {
  const query = new URL(request.url).searchParams;
  if (request.method !== 'POST') return query;
  const body = await readForm(request);
  if (!body.get('state')) return djangoJson({ status_code: 401, message: 'State required in POST body.' }, 401);
  const merged = new URLSearchParams(query);
  for (const [name, value] of body) if (!merged.has(name)) merged.append(name, value);
  return merged;
}

function validateClient(context: BlueButtonContext, params: URLSearchParams): { app: BlueButtonApp; redirectUri: string } | Response {
  const clientId = params.get('client_id');
  if (!clientId) return errorPage('invalid_request', 'Missing client_id parameter.');
  const app = findAppByClientId(clientId);
  if (!app) return errorPage('invalid_request', 'Invalid client_id parameter value.');
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return errorPage('invalid_request', 'Missing redirect URI.');
  // RFC 9700 §2.1: exact string match against the registered URIs, no prefix or pattern.
  if (!context.redirectUris().includes(redirectUri)) {
    return errorPage('invalid_request', 'Mismatching redirect URI.', 400, redirectMismatchNote(redirectUri, context.redirectUris()));
  }
  return { app, redirectUri };
}

/** Answers `/v2/o/authorize/` with a JSON error, an error page, an error redirect or the login page. */
export async function handleAuthorize(context: BlueButtonContext, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
  const params = await readAuthorizeParams(request);
  if (params instanceof Response) return params;
  if (params.has('client_secret')) {
    // A secret in a browser URL leaks to history and logs; Blue Button refuses it outright.
    return new Response('Illegal query parameter [client_secret] detected', { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  }
  const missing = checkRequiredParams(params);
  if (missing) return missing;
  const client = validateClient(context, params);
  if (client instanceof Response) return client;
  const { app, redirectUri } = client;
  const state = params.get('state') ?? '';

  const responseType = params.get('response_type');
  if (!responseType) {
    return redirect(withQuery(redirectUri, { error: 'invalid_request', error_description: 'Missing response_type parameter.', state }));
  }
  if (responseType !== 'code') return redirect(withQuery(redirectUri, { error: 'unsupported_response_type', state }));
  if (params.get('code_challenge_method') !== 'S256') {
    return djangoJson({ status_code: 400, error: 'invalid_request', error_description: 'code_challenge_method must be S256' }, 400);
  }

  const requested = parseScope(params.get('scope'));
  if (requested.some((scope) => !isSupportedScope(scope))) return djangoJson({ status_code: 400, message: 'Invalid scopes.' }, 400);
  // Without `scope` the app gets what it registered for; scopes it was not registered for are dropped silently.
  const scopes = (requested.length > 0 ? requested : app.defaultScopes).filter((scope) => app.allowedScopes.has(scope));

  const now = context.now();
  const pending = {
    id: crypto.randomUUID(),
    clientId: app.clientId,
    redirectUri,
    state,
    scopes,
    codeChallenge: params.get('code_challenge') ?? '',
    expiresAt: now + context.pendingLifetimeMs,
  };
  await context.store.putPending(pending);
  return loginPage({ app, pendingId: pending.id, formAction: `${context.mountPath}${loginPath}` });
}
