import 'server-only';
import { html, htmlPage, usernamePasswordFields, type SafeHtml } from '../html';
import type { BlueButtonApp } from './apps';
import { demographicScopes, scopeDescriptions } from './scopes';
import type { SyntheticUser } from './users';

/** The Medicare.gov-style login and consent pages, and the error page shown instead of an unsafe redirect. */

const brand = 'Medicare.gov';
const accent = '#0b4778';

/** Name of the hidden field that carries the pending authorization's id from page to page. */
export const pendingField = 'auth_request';

/** What the login page shows and where its form goes. */
export interface LoginPageInput {
  app: BlueButtonApp;
  pendingId: string;
  formAction: string;
  error?: string;
  username?: string;
}

/** The Medicare.gov-style login, optionally with an error and the username typed before. */
export function loginPage({ app, pendingId, formAction, error, username }: LoginPageInput): Response {
  const body = html`<p>Log in to share your Medicare information with <strong>${app.name}</strong>.</p>
${error ? html`<div class="error" role="alert">${error}</div>` : ''}
<form method="post" action="${formAction}">
  <input type="hidden" name="${pendingField}" value="${pendingId}">
  ${usernamePasswordFields(username)}
  <button type="submit">Log in</button>
</form>
<p class="hint">Synthetic sandbox users: <code>BBUser00000</code> / <code>PW00000!</code> through
<code>BBUser29999</code> / <code>PW29999!</code>.</p>`;
  return htmlPage({ title: 'Log in to Medicare.gov', brand, accent, body });
}

/** What the consent page shows and where its form goes. */
export interface ConsentPageInput {
  app: BlueButtonApp;
  user: SyntheticUser;
  pendingId: string;
  formAction: string;
  scopes: readonly string[];
  /** "YYYY-MM-DD": when the data-access grant would end. */
  accessUntil: string;
}

function scopeItem(scope: string) {
  return html`<li><code>${scope}</code>: ${scopeDescriptions[scope] ?? 'Access requested by the app'}</li>`;
}

/** The consent page: the scopes, the demographic choice when the app may have it, Allow and Deny. */
export function consentPage({ app, user, pendingId, formAction, scopes, accessUntil }: ConsentPageInput): Response {
  const always = scopes.filter((scope) => !demographicScopes.has(scope));
  const demographic = scopes.filter((scope) => demographicScopes.has(scope));
  // The choice is offered only to apps registered for demographic data that actually asked for it.
  const offerChoice = app.requiresDemographic && demographic.length > 0;
  const withheld = demographic.map((scope, i) => html`${i > 0 ? ' and ' : ''}<code>${scope}</code>`);
  const body = html`<p><strong>${app.name}</strong> wants to access your Medicare information.</p>
<p class="hint">Logged in as <code>${user.username}</code> (${user.givenName} ${user.familyName}, patient <code>${user.patientId}</code>).</p>
<form method="post" action="${formAction}">
  <input type="hidden" name="${pendingField}" value="${pendingId}">
  <p>The app will be able to see:</p>
  <ul>${always.map(scopeItem)}</ul>
  ${
    offerChoice
      ? html`<div class="scope"><input type="checkbox" id="share_demographic_scopes" name="share_demographic_scopes" value="True" checked>
  <label for="share_demographic_scopes" style="margin:0">Share my demographic info (name, address, date of birth, race and sex)</label></div>
  <p class="hint">Unticking it withholds ${withheld}: the app then gets 403 from
  <code>/Patient</code> and <code>/connect/userinfo</code> but can still read your claims and coverage.</p>`
      : ''
  }
  <p>You can revoke access at any time. Otherwise it lasts 13 months, until ${accessUntil}.</p>
  <button type="submit" name="allow" value="True">Allow</button><button type="submit" name="allow" value="False" class="secondary">Deny</button>
</form>`;
  return htmlPage({ title: `Connect ${app.name} to your Medicare information`, brand, accent, body });
}

/**
 * The page for an authorize request that cannot be answered with a redirect (unknown client, unregistered
 * redirect URI: RFC 6749 §4.1.2.1 forbids redirecting then) or whose login session has gone.
 */
export function errorPage(error: string, description: string, status = 400, note?: SafeHtml): Response {
  const body = html`<div class="error" role="alert"><strong>${error}</strong>: ${description}</div>
<p class="hint">Go back to the app and start again.</p>${note}`;
  return htmlPage({ title: 'Authorization error', brand, accent, body, status });
}
