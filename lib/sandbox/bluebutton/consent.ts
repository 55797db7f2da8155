import 'server-only';
import { findAppByClientId } from './apps';
import type { BlueButtonContext } from './context';
import { readForm, withQuery } from './form';
import { getLivePending, sessionExpiredPage } from './login';
import { randomOpaqueToken } from './opaque';
import { pendingField } from './pages';
import { methodNotAllowed, redirect } from './responses';
import { demographicScopes } from './scopes';

/**
 * `POST /v2/o/authorize/consent`: the beneficiary's Allow or Deny. Allow issues a single-use code bound to the
 * client, the redirect URI and the PKCE challenge; Deny returns `access_denied` (RFC 6749 §4.1.2.1).
 */
export async function handleConsent(context: BlueButtonContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  const form = await readForm(request);
  const pending = await getLivePending(context, form.get(pendingField));
  const app = pending ? findAppByClientId(pending.clientId) : undefined;
  const user = pending?.user;
  if (!pending || !app || !user) return sessionExpiredPage();
  // One answer per authorization: a resubmitted form, on whichever instance, cannot mint a second code.
  if (!(await context.store.takePending(pending.id))) return sessionExpiredPage();

  const deny = () => redirect(withQuery(pending.redirectUri, { error: 'access_denied', state: pending.state }));
  if (form.get('allow') !== 'True') return deny();

  const shareDemographic = app.requiresDemographic && form.get('share_demographic_scopes') === 'True';
  const scopes = shareDemographic ? pending.scopes : pending.scopes.filter((scope) => !demographicScopes.has(scope));
  // Blue Button's form_valid: with nothing left to grant the answer is access_denied.
  if (scopes.length === 0) return deny();
  if (!shareDemographic) {
    // Also form_valid: without demographics, earlier tokens of this app for this beneficiary stop working, so
    // none of them can still read /Patient.
    await context.store.revokeAppPatientTokens(app.clientId, user.patientId, context.now());
  }

  const code = randomOpaqueToken();
  await context.store.putCode({
    code,
    clientId: app.clientId,
    redirectUri: pending.redirectUri,
    codeChallenge: pending.codeChallenge,
    scopes,
    patientId: user.patientId,
    expiresAt: context.now() + context.codeLifetimeMs,
  });
  return redirect(withQuery(pending.redirectUri, { code, state: pending.state }));
}
