import 'server-only';
import { redirectMismatchNote } from '../redirect-uris';
import { authenticateAgent, findAgent, findApp } from './clients';
import type { HealthSherpaContext } from './context';
import {
  doorkeeperError,
  doorkeeperStatus,
  errorRedirect,
  invalidRequest,
  missingParam,
  redirectTo,
  type DoorkeeperError,
} from './doorkeeper';
import { readForm } from './params';
import { consentPage, errorPage, expiredRequestPage, loginPage } from './pages';

/** The one scope HealthSherpa defines; there is no default scope, so `scope` is required. */
export const partnerScope = 'partner_api_v2';

function authorizeAction(context: HealthSherpaContext): string {
  return `${context.mountPath}/oauth/authorize`;
}

// Doorkeeper's ScopeChecker: space-separated, no control characters, each scope known to server and app.
function scopeIsValid(scope: string): boolean {
  if (/[\r\n\t]/.test(scope)) return false;
  const scopes = scope.split(' ').filter(Boolean);
  return scopes.length > 0 && scopes.every((item) => item === partnerScope);
}

function blank(value: string | null): value is null | '' {
  return value === null || value.trim() === '';
}

/**
 * `GET /oauth/authorize`: validates the request in Doorkeeper's `PreAuthorization` order, then shows the agent
 * sign-in page. Until the client and its redirect URI are known good, errors are an HTML page; after that they
 * go back to the client as `?error=…&error_description=…&state=…`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export async function handleAuthorizeGet(context: HealthSherpaContext, request: Request): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const page = (failure: DoorkeeperError) => errorPage(failure, doorkeeperStatus(failure.error));

  const clientId = query.get('client_id');
  if (blank(clientId)) return page(invalidRequest(missingParam('client_id')));
  const app = findApp(clientId);
  if (!app) return page(doorkeeperError('invalid_client'));
  const redirectUri = query.get('redirect_uri');
  // RFC 9700 §2.1: the redirect URI must equal a registered one exactly.
  if (blank(redirectUri) || !context.redirectUris(app.clientId).includes(redirectUri)) {
    const failure = doorkeeperError('invalid_redirect_uri');
    return errorPage(failure, doorkeeperStatus(failure.error), redirectMismatchNote(redirectUri, context.redirectUris(app.clientId)));
  }

  const state = query.get('state') || undefined;
  const back = (failure: DoorkeeperError) => errorRedirect(redirectUri, failure, state);
  const responseType = query.get('response_type');
  const scope = query.get('scope');
  if (blank(responseType)) return back(invalidRequest(missingParam('response_type')));
  if (blank(scope)) return back(invalidRequest(missingParam('scope')));
  if (responseType !== 'code') return back(doorkeeperError('unsupported_response_type'));
  if (!scopeIsValid(scope)) return back(doorkeeperError('invalid_scope'));

  // PKCE is optional: HealthSherpa documents none, but Doorkeeper verifies a challenge when one is sent.
  const codeChallenge = query.get('code_challenge') || undefined;
  const method = query.get('code_challenge_method');
  if (codeChallenge !== undefined && method !== 'S256' && method !== 'plain') {
    return back(doorkeeperError('invalid_code_challenge_method'));
  }

  const pending = await context.oauth.createPending({
    clientId: app.clientId,
    redirectUri,
    scope: scope.split(' ').filter(Boolean).join(' '),
    state,
    codeChallenge,
    codeChallengeMethod: codeChallenge === undefined ? undefined : (method as 'S256' | 'plain'),
  });
  return loginPage({ action: authorizeAction(context), authorizationId: pending.id, app });
}

/**
 * `POST /oauth/authorize`: the sign-in form, then the consent form, of one pending request. Authorize redirects
 * with a single-use code; Deny (`_method=delete`) redirects with `access_denied`.
 */
export async function handleAuthorizePost(context: HealthSherpaContext, request: Request): Promise<Response> {
  const form = await readForm(request);
  const pending = await context.oauth.getPending(form.get('authorization_id') ?? '');
  const app = pending ? findApp(pending.clientId) : undefined;
  if (!pending || !app) return expiredRequestPage();
  const action = authorizeAction(context);

  const agent = pending.agentId === undefined ? undefined : findAgent(pending.agentId);
  if (!agent) {
    const email = form.get('email') ?? '';
    const signedIn = await authenticateAgent(email, form.get('password') ?? '');
    if (!signedIn) {
      return loginPage({ action, authorizationId: pending.id, app, email, error: 'Invalid Email or password.' });
    }
    const next = await context.oauth.signIn(pending, signedIn.id);
    if (!next) return expiredRequestPage();
    return consentPage({ action, authorizationId: next.id, app, agent: signedIn, scope: next.scope });
  }

  // One decision per request, whichever instance the form reaches.
  if (!(await context.oauth.takePending(pending.id))) return expiredRequestPage();
  if (form.get('_method')?.toLowerCase() === 'delete' || form.get('decision') === 'deny') {
    return errorRedirect(pending.redirectUri, doorkeeperError('access_denied'), pending.state);
  }
  const grant = await context.oauth.issueCode({ ...pending, agentId: agent.id });
  const location = new URL(pending.redirectUri);
  location.searchParams.append('code', grant.code);
  if (pending.state) location.searchParams.append('state', pending.state);
  return redirectTo(location.toString());
}
