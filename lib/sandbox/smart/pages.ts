import 'server-only';
import { html, htmlPage, usernamePasswordFields, type SafeHtml } from '../html';
import { sandboxPassword, syntheticPatients } from './synthetic-data';

/** The sign-in-and-approve page of the authorize endpoint, and the page for errors that must not redirect. */

const brand = 'SMART reference server (built-in sandbox)';
const accent = '#6d28d9';

/** Name of the hidden field that carries the pending authorization's id. */
export const pendingField = 'pending';

export interface LoginPageInput {
  clientName: string;
  scopes: readonly string[];
  pendingId: string;
  formAction: string;
  error?: string;
  username?: string;
}

/** Sign in as a synthetic patient and approve (or deny) the app's request in one form. */
export function loginPage({ clientName, scopes, pendingId, formAction, error, username }: LoginPageInput): Response {
  const users = syntheticPatients.map((p, i) => html`${i > 0 ? ', ' : ''}<code>${p.username}</code> (${p.given} ${p.family})`);
  const body = html`<p><strong>${clientName}</strong> asks to access your health record with these scopes:</p>
<ul>${scopes.map((scope) => html`<li><code>${scope}</code></li>`)}</ul>
${error ? html`<div class="error" role="alert">${error}</div>` : ''}
<form method="post" action="${formAction}">
  <input type="hidden" name="${pendingField}" value="${pendingId}">
  ${usernamePasswordFields(username)}
  <button type="submit" name="decision" value="approve">Sign in and approve</button><button type="submit" name="decision" value="deny" class="secondary" formnovalidate>Deny</button>
</form>
<p class="hint">Synthetic patients: ${users}; the password is <code>${sandboxPassword}</code> for all.</p>`;
  return htmlPage({ title: 'Sign in to share your record', brand, accent, body });
}

/**
 * The page for an authorize request that cannot be answered with a redirect (unknown client, unregistered
 * redirect URI: RFC 6749 §4.1.2.1 forbids redirecting then) or whose sign-in has expired.
 */
export function errorPage(error: string, description: string, note?: SafeHtml, status = 400): Response {
  const body = html`<div class="error" role="alert"><strong>${error}</strong>: ${description}</div>
<p class="hint">The app's request cannot be sent back to it. Fix the request and start again.</p>${note}`;
  return htmlPage({ title: 'Authorization error', brand, accent, body, status });
}
