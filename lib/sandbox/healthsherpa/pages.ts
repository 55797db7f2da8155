import 'server-only';
import { html, htmlPage, type SafeHtml } from '@/lib/sandbox/html';
import { healthsherpa } from '@/lib/providers/healthsherpa';
import type { HealthSherpaAgent, HealthSherpaApp } from './clients';
import type { DoorkeeperError } from './doorkeeper';

/** The authorize pages: agent sign-in, consent, and Doorkeeper's error page for requests it cannot redirect. */

const brand = 'HealthSherpa for Medicare';
const accent = '#0f6e5a';

/** What each scope lets the app do, as the consent screen lists it. */
const scopeDescriptions: Record<string, string> = {
  partner_api_v2: 'create and search contacts',
};

function sandboxLoginHint() {
  const users = healthsherpa.presets.filter((preset) => preset.environments.includes('builtin')).flatMap((preset) => preset.sandboxUsers);
  return html`<p class="hint">Built-in sandbox agents: ${users.map(
    (user, i) => html`${i > 0 ? ', ' : ''}<code>${user.username}</code> / <code>${user.password}</code>`,
  )}.</p>`;
}

/** The agent sign-in page; the form posts back to the authorize endpoint with the pending request's id. */
export function loginPage(options: { action: string; authorizationId: string; app: HealthSherpaApp; email?: string; error?: string }): Response {
  const body = html`${options.error ? html`<div class="error" role="alert">${options.error}</div>` : ''}
<p>Sign in to your agent account to continue to <strong>${options.app.name}</strong>.</p>
<form method="post" action="${options.action}">
  <input type="hidden" name="authorization_id" value="${options.authorizationId}">
  <label for="email">Email</label>
  <input type="text" id="email" name="email" autocomplete="username" value="${options.email ?? ''}" required>
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required>
  <button type="submit">Log in</button>
</form>
${sandboxLoginHint()}`;
  // Devise re-renders a failed sign-in with 422 Unprocessable Entity.
  return htmlPage({ title: 'Agent log in', brand, accent, body, status: options.error ? 422 : 200 });
}

/**
 * The consent screen (Doorkeeper's `authorizations/new`): Authorize posts, Deny posts with `_method=delete` as
 * Doorkeeper's Rails form does.
 */
export function consentPage(options: { action: string; authorizationId: string; app: HealthSherpaApp; agent: HealthSherpaAgent; scope: string }): Response {
  const scopes = options.scope.split(' ').filter(Boolean);
  const body = html`<p><strong>${options.app.name}</strong> wants to access your HealthSherpa Medicare account.</p>
<p>This application will be able to:</p>
${scopes.map(
  (scope) =>
    html`<div class="scope"><code>${scope}</code><span>— ${Object.hasOwn(scopeDescriptions, scope) ? scopeDescriptions[scope] : scope}</span></div>`,
)}
<p class="hint">Signed in as ${options.agent.name} (${options.agent.email}), ${options.agent.agency}.</p>
<form method="post" action="${options.action}" style="display:inline">
  <input type="hidden" name="authorization_id" value="${options.authorizationId}">
  <button type="submit" name="decision" value="authorize">Authorize</button>
</form>
<form method="post" action="${options.action}" style="display:inline">
  <input type="hidden" name="_method" value="delete">
  <input type="hidden" name="authorization_id" value="${options.authorizationId}">
  <button type="submit" class="secondary" name="decision" value="deny">Deny</button>
</form>`;
  return htmlPage({ title: 'Authorization required', brand, accent, body });
}

/** Doorkeeper's `authorizations/error` page: the description in a `<pre>`, no redirect to the client. */
export function errorPage(failure: DoorkeeperError, status: number, note?: SafeHtml): Response {
  const body = html`<pre style="white-space:pre-wrap">${failure.description}</pre>
<p class="hint">Error code: <code>${failure.error}</code>. Doorkeeper does not send the browser back to the application for this error, because the client or its redirect URI could not be trusted.</p>${note}`;
  return htmlPage({ title: 'An error has occurred', brand, accent, body, status });
}

/** When the hidden id of the login or consent form is unknown, used or older than the sandbox keeps it. */
export function expiredRequestPage(): Response {
  const body = html`<p>This authorization request has expired or was already completed.</p>
<p class="hint">Start again from the application (each login and consent page can be submitted once).</p>`;
  return htmlPage({ title: 'An error has occurred', brand, accent, body, status: 400 });
}
