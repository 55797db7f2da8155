import 'server-only';
import { html, htmlPage, type SafeHtml } from '../html';
import type { DemoPlanUser } from './clients';
import type { Member } from './synthetic-data';

/** The demo health plan's sign-in, consent and error pages (auth.1updemohealthplan.com in the real world). */

const brand = '1up Demo Health Plan (built-in sandbox)';
const accent = '#5b2bd9';

const scopeDescriptions: Record<string, string> = {
  'user/*.read': 'Read all of your health plan records (claims, coverage, demographics)',
  'patient/*.read': 'Read all of your health plan records (claims, coverage, demographics)',
  'launch/patient': 'Know which member record you chose',
  openid: 'Confirm your identity (sign-in)',
};

export function errorPage(title: string, message: string, status = 400, note?: SafeHtml): Response {
  return htmlPage({ title, brand, accent, status, body: html`<div class="error">${message}</div><p class="hint">Start again from the app you came from.</p>${note}` });
}

export interface LoginPageInput {
  action: string;
  transactionId: string;
  appName: string;
  error?: string;
  hints: readonly DemoPlanUser[];
  memberId?: string;
}

export function loginPage(input: LoginPageInput): Response {
  const hints = input.hints.map((user) => html`<li><code>${user.memberId}</code> / <code>${user.password}</code></li>`);
  const body: SafeHtml = html`<p>Sign in with your member ID to let <strong>${input.appName}</strong> see your health plan records.</p>
${input.error ? html`<div class="error" role="alert">${input.error}</div>` : ''}
<form method="post" action="${input.action}">
  <input type="hidden" name="transaction" value="${input.transactionId}">
  <label for="member_id">Member ID</label>
  <input type="text" id="member_id" name="member_id" autocomplete="username" value="${input.memberId ?? ''}" required>
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
<div class="hint">Demo members of the built-in sandbox:<ul>${hints}</ul></div>`;
  return htmlPage({ title: 'Sign in', brand, accent, body });
}

export interface ConsentPageInput {
  action: string;
  transactionId: string;
  appName: string;
  member: Member;
  scopes: readonly string[];
}

export function consentPage(input: ConsentPageInput): Response {
  const scopes = input.scopes.map(
    (scope) => html`<div class="scope"><span>✓</span><span>${scopeDescriptions[scope] ?? scope} <code>${scope}</code></span></div>`,
  );
  const body = html`<p>Signed in as <strong>${input.member.given} ${input.member.family}</strong> (member ${input.member.memberId}).</p>
<p><strong>${input.appName}</strong> asks to:</p>
${scopes}
<form method="post" action="${input.action}">
  <input type="hidden" name="transaction" value="${input.transactionId}">
  <button type="submit" name="decision" value="allow">Allow</button><button type="submit" class="secondary" name="decision" value="deny">Deny</button>
</form>`;
  return htmlPage({ title: 'Share your records?', brand, accent, body });
}
