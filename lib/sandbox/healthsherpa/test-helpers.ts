import { expect } from 'vitest';
import { healthsherpa } from '@/lib/providers/healthsherpa';
import { createHealthSherpaSandbox, type HealthSherpaSandbox, type HealthSherpaSandboxOptions } from './index';
import { createTestClock, testOrigin } from '../shared/test-helpers';

/** Shared fixtures for the sandbox's unit tests (not a test file itself). */

export const mountPath = '/sandbox/healthsherpa';
export const testBase = `${testOrigin}${mountPath}`;
export const redirectUri = `${testOrigin}/api/oauth/healthsherpa/callback`;

const preset = healthsherpa.presets.find((candidate) => candidate.id === 'demo-partner-app');
if (!preset) throw new Error('no demo-partner-app preset');
export const demoApp = preset;
export const [firstAgent, secondAgent] = demoApp.sandboxUsers as [
  (typeof demoApp.sandboxUsers)[number],
  (typeof demoApp.sandboxUsers)[number],
];

/** A sandbox on a test clock, with the test redirect URI registered. */
export function createTestSandbox(options: HealthSherpaSandboxOptions = {}) {
  const clock = createTestClock();
  const sandbox = createHealthSherpaSandbox({ now: clock.now, redirectUris: [redirectUri], ...options });
  return { sandbox, clock };
}

/** Sends `pathAndQuery` (relative to the mount point) to the sandbox as a request on the test origin. */
export function send(sandbox: HealthSherpaSandbox, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(`${testBase}${pathAndQuery}`);
  return sandbox.handle(new Request(url, init), url.pathname.slice(mountPath.length));
}

/** A urlencoded POST, as a browser form or curl `-d` sends it. */
export function formPost(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The hidden inputs of one form of an HTML page (the first by default), by name. */
export function hiddenFields(html: string, formIndex = 0): Record<string, string> {
  const form = [...html.matchAll(/<form\b[\s\S]*?<\/form>/g)][formIndex]?.[0] ?? '';
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    const [, name, value] = match;
    if (name !== undefined && value !== undefined) fields[name] = decodeEntities(value);
  }
  return fields;
}

/** The query of an authorize request from the demo app, with overrides (`undefined` drops a parameter). */
export function authorizeQuery(overrides: Record<string, string | undefined> = {}): string {
  const params: Record<string, string | undefined> = {
    client_id: demoApp.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'partner_api_v2',
    state: 'state-1234567890abcdef',
    ...overrides,
  };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.append(key, value);
  return `/oauth/authorize?${query.toString()}`;
}

export interface AuthorizeRun {
  /** The redirect back to the app after the decision. */
  location: URL;
}

/**
 * Drives the browser part of the flow: authorize → login page → sign in → consent page → decision. Returns the
 * redirect the app receives.
 */
export async function runAuthorization(
  sandbox: HealthSherpaSandbox,
  options: { query?: Record<string, string | undefined>; agent?: { username: string; password: string }; deny?: boolean } = {},
): Promise<AuthorizeRun> {
  const login = await send(sandbox, authorizeQuery(options.query));
  expect(login.status).toBe(200);
  const loginFields = hiddenFields(await login.text());
  const agent = options.agent ?? firstAgent;
  const consent = await send(
    sandbox,
    '/oauth/authorize',
    formPost({ ...loginFields, email: agent.username, password: agent.password }),
  );
  expect(consent.status).toBe(200);
  const consentHtml = await consent.text();
  expect(consentHtml).toContain('Authorization required');
  const { authorization_id: authorizationId = '' } = hiddenFields(consentHtml);
  const decision = await send(
    sandbox,
    '/oauth/authorize',
    formPost(options.deny ? { authorization_id: authorizationId, _method: 'delete' } : { authorization_id: authorizationId, decision: 'authorize' }),
  );
  expect(decision.status).toBe(302);
  return { location: new URL(decision.headers.get('location') ?? '') };
}

/** Runs the authorization and returns the code from the redirect. */
export async function getCode(sandbox: HealthSherpaSandbox, options: Parameters<typeof runAuthorization>[1] = {}): Promise<string> {
  const { location } = await runAuthorization(sandbox, options);
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location.toString()}`);
  return code;
}

/** The token request of the seed's curl: form body with the client secret. */
export function codeExchange(code: string, overrides: Record<string, string | undefined> = {}): RequestInit {
  const fields: Record<string, string | undefined> = {
    grant_type: 'authorization_code',
    code,
    client_id: demoApp.clientId,
    client_secret: demoApp.clientSecret,
    redirect_uri: redirectUri,
    ...overrides,
  };
  return formPost(Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined)));
}

export function refreshRequest(refreshToken: string, overrides: Record<string, string | undefined> = {}): RequestInit {
  const fields: Record<string, string | undefined> = {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: demoApp.clientId,
    client_secret: demoApp.clientSecret,
    ...overrides,
  };
  return formPost(Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined)));
}

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
  created_at: number;
}

/** Runs the whole flow for an agent and returns the token response body. */
export async function getTokens(sandbox: HealthSherpaSandbox, agent = firstAgent): Promise<TokenBody> {
  const code = await getCode(sandbox, { agent });
  const response = await send(sandbox, '/oauth/token', codeExchange(code));
  if (response.status !== 200) throw new Error(`token request failed with ${response.status}: ${await response.text()}`);
  return (await response.json()) as TokenBody;
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** A Doorkeeper error body and status. */
export async function expectOAuthError(response: Response, status: number, error: string, description?: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-store, no-cache');
  const body = (await response.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  if (description !== undefined) expect(body.error_description).toBe(description);
  expect(response.headers.get('www-authenticate')).toBe(
    `Bearer realm="Doorkeeper", error="${error}", error_description="${body.error_description}"`,
  );
}
