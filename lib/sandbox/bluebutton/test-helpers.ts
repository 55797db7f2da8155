import { expect } from 'vitest';
import { bluebutton } from '@/lib/providers/bluebutton';
import { createBlueButtonSandbox, type BlueButtonSandbox, type BlueButtonSandboxOptions } from './index';
import { basicAuthorization, createTestClock, testOrigin } from '../shared/test-helpers';

/** Shared fixtures for the sandbox's unit tests (not a test file itself). */

export const testBase = `${testOrigin}/sandbox/bluebutton`;
export const redirectUri = `${testOrigin}/api/oauth/bluebutton/callback`;
export const otherRedirectUri = 'http://127.0.0.1:3000/api/oauth/bluebutton/callback';
export const testState = 'state-0123456789abcdef';

export type TestApp = (typeof bluebutton.presets)[number];

/** A credential preset from the provider file, by id. */
export function getApp(presetId: 'demo-demographic' | 'demo-no-demographic'): TestApp {
  const preset = bluebutton.presets.find((candidate) => candidate.id === presetId);
  if (!preset) throw new Error(`no preset ${presetId}`);
  return preset;
}

/** A sandbox on a test clock whose demo apps register the two loopback callback URLs. */
export function createTestSandbox(options: BlueButtonSandboxOptions = {}) {
  const clock = createTestClock();
  const sandbox = createBlueButtonSandbox({ now: clock.now, redirectUris: () => [redirectUri, otherRedirectUri], ...options });
  return { sandbox, clock };
}

/** Sends `pathAndQuery` (relative to the mount point, or an absolute sandbox URL) to the sandbox. */
export function send(sandbox: BlueButtonSandbox, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(pathAndQuery.startsWith('http') ? pathAndQuery : `${testBase}${pathAndQuery}`);
  return sandbox.handle(new Request(url, init), url.pathname.slice('/sandbox/bluebutton'.length));
}

export function formPost(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

function unescapeHtml(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The first form of an HTML page: its action and its hidden fields. */
export function parseForm(page: string): { action: string; hidden: Record<string, string> } {
  const action = /<form method="post" action="([^"]*)">/.exec(page)?.[1];
  if (action === undefined) throw new Error('no form on the page');
  const hidden: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    hidden[unescapeHtml(match[1] ?? '')] = unescapeHtml(match[2] ?? '');
  }
  return { action: unescapeHtml(action), hidden };
}

/** Posts the page's form with its hidden fields plus `fields`, to the path it names. */
export async function submitForm(sandbox: BlueButtonSandbox, page: Response, fields: Record<string, string>): Promise<Response> {
  expect(page.status).toBe(200);
  const { action, hidden } = parseForm(await page.text());
  return send(sandbox, `${testOrigin}${action}`, formPost({ ...hidden, ...fields }));
}

/** An RFC 7636 verifier and its S256 challenge. */
export async function createPkce(verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: Buffer.from(digest).toString('base64url') };
}

/** The authorize URL's query for a demo app, with any parameter overridden (`undefined` drops it). */
export function authorizeQuery(app: TestApp, challenge: string, overrides: Record<string, string | undefined> = {}): string {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scope: (app.grant ?? bluebutton.grant).scopes.join(' '),
    state: testState,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const defined = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return new URLSearchParams(defined).toString();
}

export interface AuthorizeOptions {
  app?: TestApp;
  username?: string;
  password?: string;
  allow?: boolean;
  shareDemographic?: boolean;
  overrides?: Record<string, string | undefined>;
}

/** Authorize → login → consent, returning the final redirect and the PKCE verifier. */
export async function runAuthorization(sandbox: BlueButtonSandbox, options: AuthorizeOptions = {}) {
  const app = options.app ?? getApp('demo-demographic');
  const pkce = await createPkce();
  const loginPage = await send(sandbox, `/v2/o/authorize/?${authorizeQuery(app, pkce.challenge, options.overrides)}`);
  const consentPage = await submitForm(sandbox, loginPage, {
    username: options.username ?? 'BBUser00000',
    password: options.password ?? 'PW00000!',
  });
  const fields: Record<string, string> = { allow: options.allow === false ? 'False' : 'True' };
  if (options.shareDemographic !== false) fields.share_demographic_scopes = 'True';
  const response = await submitForm(sandbox, consentPage, fields);
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  return { app, response, location, verifier: pkce.verifier, code: location.searchParams.get('code') ?? '' };
}

/** The token request for a code, with any form field overridden (`undefined` drops it). */
export function codeTokenRequest(app: TestApp, code: string, verifier: string, overrides: Record<string, string | undefined> = {}): RequestInit {
  const fields: Record<string, string | undefined> = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    ...overrides,
  };
  const defined = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return formPost(defined, { Authorization: basicAuthorization(app.clientId, app.clientSecret), Accept: 'application/json' });
}

export interface TokenBody {
  access_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
  refresh_token: string;
  patient: string;
  access_grant_expiration: string;
}

/** The whole flow up to a token response, failing the test unless it is 200. */
export async function getTokens(sandbox: BlueButtonSandbox, options: AuthorizeOptions = {}): Promise<TokenBody> {
  const { app, code, verifier } = await runAuthorization(sandbox, options);
  const response = await send(sandbox, '/v2/o/token/', codeTokenRequest(app, code, verifier));
  expect(response.status).toBe(200);
  return (await response.json()) as TokenBody;
}

export function refreshRequest(app: TestApp, refreshToken: string): RequestInit {
  return formPost({ grant_type: 'refresh_token', refresh_token: refreshToken }, { Authorization: basicAuthorization(app.clientId, app.clientSecret) });
}

export function bearer(token: string): RequestInit {
  return { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } };
}

/** The sandbox-relative path of an absolute URL the sandbox returned (a Bundle link). */
export function toSandboxPath(absoluteUrl: string): string {
  const url = new URL(absoluteUrl);
  expect(url.origin).toBe(testOrigin);
  return `${url.pathname.slice('/sandbox/bluebutton'.length)}${url.search}`;
}
