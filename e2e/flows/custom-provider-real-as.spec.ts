import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { freePort } from '../../test/free-port';
import { E2E_ISSUED_SECRETS_NAME, readIssued } from '../support/log-scan';
import { browserVisibleText, findTokenByFingerprint, FULL_JWT, recordResponses, sessionFingerprints, type SeenByBrowser } from '../support/secrets';
import { E2E_LOG_DIR } from '../support/server-env';

/**
 * Issue #8 end to end: a custom provider added by URL, against a real authorization server (oidc-provider, set up by
 * e2e/support/smart-as.mjs on loopback; the console runs with CONSOLE_ALLOW_LOOPBACK_PROVIDERS=1). Every call goes
 * through the console's BFF routes from a console page (the page's own fetch: same Origin, the CSRF header), so
 * every answer the browser gets is recorded and searched for tokens at the end.
 */

/** The AS appends every code and token it issues here, with the sandboxes': the run's log scan searches them all. */
const issuedFile = join(E2E_LOG_DIR, E2E_ISSUED_SECRETS_NAME);
let issuer = '';
let as: ChildProcess;
const asOutput: string[] = [];


test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const port = await freePort();
  as = spawn(process.execPath, ['e2e/support/smart-as.mjs'], { env: { ...process.env, SMART_AS_PORT: String(port), SMART_AS_ISSUED_SECRETS_FILE: issuedFile }, stdio: ['ignore', 'pipe', 'pipe'] });
  issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the authorization server did not start:\n${asOutput.join('')}`)), 15_000);
    for (const stream of [as.stdout, as.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        asOutput.push(chunk.toString());
        const ready = /^ready (\S+)$/m.exec(asOutput.join(''));
        if (ready?.[1]) {
          clearTimeout(timer);
          resolve(ready[1]);
        }
      });
    }
    as.once('exit', (code) => reject(new Error(`the authorization server exited with ${code}:\n${asOutput.join('')}`)));
  });
});

test.afterAll(() => {
  as?.kill('SIGTERM');
});

test.afterEach(({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) console.log(`authorization server output:\n${asOutput.join('').slice(-4000)}`);
});

interface ApiAnswer<T> {
  status: number;
  body: T;
}

/** One BFF call from the page itself: the browser adds Origin and Sec-Fetch-Site, the console's header is ours. */
async function api<T = Record<string, unknown>>(page: Page, method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const response = await fetch(path, {
        method,
        headers: { 'x-console-request': '1', accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, body },
  );
}

async function ok<T = Record<string, unknown>>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await api<T>(page, method, path, body);
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  return answer.body;
}

interface Fingerprint {
  hmacPrefix: string;
  length: number;
}

interface Token {
  providerId: string;
  grantType: string;
  clientId: string;
  scope?: string;
  fingerprint: Fingerprint;
  refresh?: { fingerprint: Fingerprint; rotates: boolean; history: { at: number; usedFingerprint: string; newFingerprint: string | null }[] };
  clientAssertion?: { header: Record<string, unknown>; claims: Record<string, unknown> };
  idToken?: { claims: Record<string, unknown> };
  tokenType: string;
  dpop?: { alg: string; jkt: string; tokenJkt: string | null; proof?: { header: Record<string, unknown>; claims: Record<string, unknown>; answersNonceChallenge: boolean } };
}

interface Exchange {
  kind: string;
  status: number | null;
  url: string;
  providerId: string;
  request: { headers: [string, string][]; body: string | null };
  dpop?: { claims: Record<string, unknown>; answersNonceChallenge: boolean };
}

interface Session {
  tokens: Token[];
  exchanges: Exchange[];
}

interface SavedProvider {
  provider: { id: string; redirectUri: string; clientId: string; findings: { severity: string; code: string }[] };
}

async function sessionToken(page: Page, providerId: string): Promise<Token> {
  const session = await ok<Session>(page, 'GET', '/api/session');
  const token = session.tokens.find((t) => t.providerId === providerId);
  expect(token, `the session has a token for ${providerId}`).toBeDefined();
  return token!;
}

/** A SMART Backend Services assertion as the SMART spec and RFC 7523 §3 want it, signed by a key the JWKS publishes. */
function expectAssertion(token: Token, clientId: string, jwksKids: string[]): Record<string, unknown> {
  const assertion = token.clientAssertion;
  expect(assertion, 'the token DTO carries the decoded client assertion').toBeDefined();
  const { header, claims } = assertion!;
  expect(header).toMatchObject({ alg: 'ES384', typ: 'JWT' });
  expect(jwksKids).toContain(header.kid);
  expect(claims).toMatchObject({ aud: `${issuer}/token`, iss: clientId, sub: clientId });
  const { exp, iat, jti } = claims as { exp: number; iat: number; jti: string };
  expect(exp - iat).toBeGreaterThan(0);
  expect(exp - iat).toBeLessThanOrEqual(300);
  expect(typeof jti).toBe('string');
  return claims;
}

/**
 * Everything the browser saw holds no token: none of the access and refresh tokens the AS issued (verbatim, by its
 * own list), no compact JWS (client assertions, ID tokens), nothing matching a fingerprint the session shows.
 */
async function expectNoTokenInBrowser(page: Page, seen: SeenByBrowser, minimumIssued: number): Promise<void> {
  const tokens = readIssued(issuedFile).filter((s) => s.kind !== 'code').map((s) => s.value);
  expect(tokens.length).toBeGreaterThanOrEqual(minimumIssued);
  const texts = await browserVisibleText(page, page.context(), seen);
  for (const text of texts) {
    for (const token of tokens) expect(text.includes(token), `${token.slice(0, 4)}… in the browser`).toBe(false);
    expect(text.match(FULL_JWT)?.[0], 'a compact JWS in the browser').toBeUndefined();
  }
  expect(findTokenByFingerprint(texts, await sessionFingerprints(page)), 'a token the session holds, in the browser').toBeNull();
}

interface CheckResult {
  checkId: string;
  outcome: 'pass' | 'warn' | 'fail' | 'known' | 'skip';
  message: string;
}

/** "Check this server" from the page (issue #18): the run's results by check id. */
async function checkServer(page: Page, id: string): Promise<Map<string, CheckResult>> {
  const text = await page.evaluate(async (id) => {
    const response = await fetch(`/api/conformance/${id}`, {
      method: 'POST',
      headers: { 'x-console-request': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ environmentId: 'discovered', credential: { kind: 'preset', presetId: 'saved' } }),
    });
    return response.text();
  }, id);
  const events = text.trim().split('\n').map((line) => JSON.parse(line) as { type: string; result?: CheckResult });
  expect(events.at(-1)?.type).toBe('done');
  return new Map(events.flatMap((e) => (e.result ? [[e.result.checkId, e.result] as const] : [])));
}

/**
 * oidc-provider is an authorization server and nothing else: there is no FHIR API behind the saved FHIR base (404 to
 * every API call, fhirUser included), and it follows OAuth 2.1 in sending no `Pragma`. Those are its only findings.
 */
function expectExplainedFindings(checks: Map<string, CheckResult>, expected: Record<string, [CheckResult['outcome'], RegExp]>): void {
  const findings = Object.fromEntries([...checks.values()].filter((r) => r.outcome !== 'pass' && r.outcome !== 'skip').map((r) => [r.checkId, r.outcome]));
  expect(findings).toEqual(Object.fromEntries(Object.entries(expected).map(([id, [outcome]]) => [id, outcome])));
  for (const [id, [, why]] of Object.entries(expected)) expect(checks.get(id)?.message, id).toMatch(why);
}

let seen: SeenByBrowser;
let jwksUrl = '';
let kid = '';

test('SMART Backend Services with DPoP: key, discovery, RFC 7591 registration, save, and two DPoP tokens with fresh private_key_jwt assertions and proofs, the nonce challenge answered once', async ({ page, request }) => {
  seen = recordResponses(page);
  await page.goto('/');

  const generated = await ok<{ key: { kid: string; alg: string }; jwksUrl: string }>(page, 'POST', '/api/smart/keys', { action: 'generate', alg: 'ES384' });
  expect(generated.key.alg).toBe('ES384');
  ({ jwksUrl } = generated);
  kid = generated.key.kid;
  // The JWKS is public: the provider fetches it with no console sign-in or cookie.
  const published = await request.get(jwksUrl, { headers: { cookie: '' } });
  expect(published.status()).toBe(200);
  const jwks = (await published.json()) as { keys: { kid: string; d?: string }[] };
  expect(jwks.keys.map((k) => k.kid)).toContain(kid);
  for (const key of jwks.keys) expect(key.d).toBeUndefined();

  const discovery = await ok<{ ok: boolean; documents: { kind: string; status: string; httpStatus?: number }[]; server: Record<string, unknown> }>(
    page,
    'POST',
    '/api/smart/discover',
    { url: issuer },
  );
  expect(discovery.ok).toBe(true);
  expect(discovery.documents).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'smart-configuration', status: 'not_found', httpStatus: 404 }),
      expect.objectContaining({ kind: 'openid-configuration', status: 'ok', httpStatus: 200 }),
    ]),
  );
  expect(discovery.server).toMatchObject({ issuer, token_endpoint: `${issuer}/token`, registration_endpoint: `${issuer}/reg`, code_challenge_methods_supported: ['S256'] });

  const registered = await ok<{ clientId: string; registrationEndpoint: string; jwksUri: string; registered: Record<string, unknown> }>(
    page,
    'POST',
    '/api/smart/register',
    { discoveryUrl: issuer, clientName: 'e2e backend services', grant: 'client_credentials', scopes: ['system/Patient.rs'], keyKid: kid },
  );
  expect(registered).toMatchObject({ registrationEndpoint: `${issuer}/reg`, jwksUri: jwksUrl });
  expect(registered.registered).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUrl });
  expect(registered.registered.client_secret).toBeUndefined();
  const { clientId } = registered;

  const saved = await ok<SavedProvider>(page, 'POST', '/api/smart/providers', {
    name: 'Real AS (backend services)',
    discoveryUrl: issuer,
    clientId,
    keyKid: kid,
    config: { grant: 'client_credentials', clientAuth: 'private_key_jwt', pkce: 'none', assertionAlg: 'ES384', scopes: ['system/Patient.rs'], launch: 'standalone', dpop: true },
  });
  const { id } = saved.provider;
  // oidc-provider advertises DPoP: the saved configuration is checked against it, and nothing is in the way.
  expect(saved.provider.findings.map((f) => f.code)).not.toContain('dpop_unadvertised');
  expect(id).toMatch(/^custom-[a-z0-9]{10}$/);
  expect(saved.provider.findings.filter((f) => f.severity === 'error')).toEqual([]);
  const providers = await ok<{ providers: { id: string }[] }>(page, 'GET', '/api/providers');
  expect(providers.providers.map((p) => p.id)).toContain(id);

  const body = { environmentId: 'discovered', credential: { kind: 'preset', presetId: 'saved' } };
  const first = await ok<{ token: Token }>(page, 'POST', `/api/oauth/${id}/token`, body);
  expect(first.token).toMatchObject({ providerId: id, grantType: 'client_credentials', clientId, scope: 'system/Patient.rs' });
  const firstClaims = expectAssertion(first.token, clientId, [kid]);
  // RFC 9449: a DPoP token, bound to the session's key; oidc-provider's tokens are opaque, so the binding is its own.
  expect(first.token.tokenType).toBe('DPoP');
  expect(first.token.dpop).toMatchObject({ alg: 'ES256', tokenJkt: null, proof: { header: { typ: 'dpop+jwt', alg: 'ES256' }, answersNonceChallenge: true } });
  expect(first.token.dpop?.proof?.header.jwk).not.toHaveProperty('d');
  const afterFirst = await ok<Session>(page, 'GET', '/api/session');
  const tokenCalls = afterFirst.exchanges.filter((e) => e.providerId === id && e.kind === 'token');
  // The nonce challenge (RFC 9449 §8) and the answer to it, exactly once.
  expect(tokenCalls.map((e) => [e.status, e.dpop?.answersNonceChallenge])).toEqual([
    [400, false],
    [200, true],
  ]);
  for (const e of tokenCalls) expect(e.request.headers).toContainEqual(['DPoP', '[redacted]']);

  const fromSession = await sessionToken(page, id);
  expect(fromSession.clientAssertion).toEqual(first.token.clientAssertion);

  // A second token, minted anew: a fresh assertion (oidc-provider refuses a jti it has seen).
  const second = await ok<{ token: Token }>(page, 'POST', `/api/oauth/${id}/token`, { ...body, forceNew: true });
  const secondClaims = expectAssertion(second.token, clientId, [kid]);
  expect(secondClaims.jti).not.toBe(firstClaims.jti);
  expect(second.token.fingerprint).not.toEqual(first.token.fingerprint);
  // The same key, and the nonce remembered: no second challenge.
  expect(second.token.dpop?.jkt).toBe(first.token.dpop?.jkt);
  expect(second.token.dpop?.proof?.claims.nonce).toEqual(expect.any(String));

  const checks = await checkServer(page, id);
  expectExplainedFindings(checks, {
    'backend.token-response-headers': ['fail', /Pragma is missing/],
    'fhir.no-token-refused': ['fail', /answered 404/],
    'fhir.invalid-token-refused': ['fail', /answered 404/],
    // No FHIR API behind oidc-provider: the bound token sent as Bearer meets a 404, not a refusal.
    'sender.dpop-bound-as-bearer-refused': ['fail', /answered 404/],
  });
  for (const passed of ['backend.token-success', 'backend.token-response-body', 'backend.invalid-grant-type', 'backend.invalid-assertion-type', 'backend.invalid-jwt', 'sender.dpop-metadata', 'sender.par-metadata', 'sender.dpop-token-type']) {
    expect(checks.get(passed)?.outcome, passed).toBe('pass');
  }

  await expectNoTokenInBrowser(page, seen, 2);
});

test('authorization code + PKCE with private_key_jwt, DPoP and PAR: the request pushed, log in and consent at the real server, back on the console with a DPoP token, then two refreshes rotate the refresh token and keep the binding', async ({ page }) => {
  seen = recordResponses(page);
  const sent: string[] = [];
  page.on('request', (r) => sent.push(r.url()));
  await page.goto('/');
  const scopes = ['openid', 'fhirUser', 'offline_access', 'launch/patient', 'patient/*.rs'];
  const config = { grant: 'authorization_code', clientAuth: 'private_key_jwt', pkce: 'S256', assertionAlg: 'ES384', scopes, launch: 'standalone', dpop: true };

  // The redirect URI names the provider id, known once saved: save with a placeholder client, have the console
  // register its client for that provider's redirect URI (RFC 7591), then save the registered client id.
  const draft = await ok<SavedProvider>(page, 'POST', '/api/smart/providers', {
    name: 'Real AS (auth code)',
    discoveryUrl: issuer,
    clientId: 'not-yet-registered',
    keyKid: kid,
    config: { ...config, redirectUri: 'http://localhost/placeholder' },
  });
  const { id, redirectUri } = draft.provider;
  expect(redirectUri).toBe(`${new URL(page.url()).origin}/api/oauth/${id}/callback`);

  const registered = await ok<{ clientId: string; registered: Record<string, unknown> }>(page, 'POST', '/api/smart/register', {
    discoveryUrl: issuer,
    clientName: 'e2e auth code',
    grant: 'authorization_code',
    keyKid: kid,
    scopes,
    providerId: id,
  });
  expect(registered.registered).toMatchObject({
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'private_key_jwt',
    jwks_uri: jwksUrl,
  });
  const { clientId } = registered;
  await ok<SavedProvider>(page, 'PUT', `/api/smart/providers/${id}`, {
    name: 'Real AS (auth code)',
    discoveryUrl: issuer,
    clientId,
    keyKid: kid,
    config: { ...config, redirectUri },
  });

  const started = await ok<{ authorizeUrl: string; redirectUri: string }>(page, 'POST', `/api/oauth/${id}/authorize`, {
    environmentId: 'discovered',
    credential: { kind: 'preset', presetId: 'saved' },
  });
  const authorize = new URL(started.authorizeUrl);
  expect(authorize.origin + authorize.pathname).toBe(`${issuer}/auth`);
  // RFC 9126: the parameters went server to server; the browser carries the client id and the reference only.
  expect([...authorize.searchParams.keys()]).toEqual(['client_id', 'request_uri']);
  expect(authorize.searchParams.get('client_id')).toBe(clientId);
  const pushedCalls = (await ok<Session>(page, 'GET', '/api/session')).exchanges.filter((e) => e.providerId === id && e.kind === 'par');
  expect(pushedCalls.map((e) => e.status)).toEqual([400, 201]);
  const pushed = new URLSearchParams(pushedCalls[1]!.request.body ?? '');
  expect(pushed.get('code_challenge_method')).toBe('S256');
  expect(pushed.get('redirect_uri')).toBe(redirectUri);
  expect(pushed.get('client_assertion')).toMatch(/^\[redacted/);

  // oidc-provider's development login and consent pages (any login, any password).
  await page.goto(started.authorizeUrl);
  await page.locator('input[name="login"]').fill('clinician');
  await page.locator('input[name="password"]').fill('any password works here');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.href.startsWith(new URL(redirectUri).origin) && !url.pathname.includes('/callback'));
  // Not `no-session`: `returned` until the page drops the one-shot flag.
  expect([null, 'returned']).toContain(new URL(page.url()).searchParams.get('flow'));
  expect(sent.some((u) => u.startsWith(`${redirectUri}?code=`) && new URL(u).searchParams.get('iss') === issuer)).toBe(true);

  const session = await ok<Session & { flowErrors: unknown[] }>(page, 'GET', '/api/session');
  expect(session.flowErrors).toEqual([]);
  const token = await sessionToken(page, id);
  expect(token).toMatchObject({ grantType: 'authorization_code', clientId });
  // offline_access survives because the console asks it with prompt=consent (OpenID Connect Core §11).
  expect(token.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'offline_access', 'patient/*.rs']));
  expect(token.idToken?.claims).toMatchObject({ iss: issuer, sub: 'clinician', aud: clientId });
  expect(token.refresh?.fingerprint.length).toBeGreaterThan(0);
  expect(token.refresh?.history).toEqual([]);
  expectAssertion(token, clientId, [kid]);
  expect(token.tokenType).toBe('DPoP');
  expect(token.dpop?.jkt).toEqual(expect.any(String));

  const first = await ok<{ token: Token }>(page, 'POST', `/api/oauth/${id}/refresh`);
  const second = await ok<{ token: Token }>(page, 'POST', `/api/oauth/${id}/refresh`);
  const fingerprints = [token, first.token, second.token].map((t) => t.refresh?.fingerprint.hmacPrefix);
  expect(new Set(fingerprints).size, 'each refresh answered with a new refresh token').toBe(3);
  expect(first.token.refresh?.history).toHaveLength(1);
  expect(second.token.refresh?.history).toHaveLength(2);
  expect(second.token.refresh?.history.map((h) => [h.usedFingerprint, h.newFingerprint])).toEqual([
    [fingerprints[0], fingerprints[1]],
    [fingerprints[1], fingerprints[2]],
  ]);
  expect(second.token.fingerprint).not.toEqual(first.token.fingerprint);
  // RFC 9449 §5: the refreshes are proved with the same key, and their tokens stay DPoP tokens bound to it.
  expect([first.token, second.token].map((t) => [t.tokenType, t.dpop?.jkt])).toEqual([
    ['DPoP', token.dpop?.jkt],
    ['DPoP', token.dpop?.jkt],
  ]);
  // The server never said it rotates; the console reports what the refreshes showed.
  expect(token.refresh?.rotates).toBe(false);
  expect(second.token.refresh?.rotates).toBe(true);
  // Each refresh authenticated with its own assertion.
  const jtis = [token, first.token, second.token].map((t) => expectAssertion(t, clientId, [kid]).jti);
  expect(new Set(jtis).size).toBe(3);

  const checks = await checkServer(page, id);
  expectExplainedFindings(checks, {
    'standalone.token-response-headers': ['fail', /Pragma is missing/],
    'refresh.token-response-headers': ['fail', /Pragma is missing/],
    'openid.fhir-user-resolves': ['fail', /Practitioner\/clinician answered 404/],
    'fhir.no-token-refused': ['fail', /answered 404/],
    'fhir.invalid-token-refused': ['fail', /answered 404/],
    'sender.dpop-bound-as-bearer-refused': ['fail', /answered 404/],
  });
  for (const passed of ['openid.configuration', 'openid.id-token-claims', 'openid.id-token-signature', 'openid.jwks', 'standalone.authorize-request', 'standalone.state-returned', 'refresh.without-scopes', 'refresh.with-scopes', 'sender.par-response', 'sender.dpop-token-type', 'sender.dpop-nonce-challenge']) {
    expect(checks.get(passed)?.outcome, passed).toBe('pass');
  }

  // Two client-credentials tokens, then three access and three refresh tokens here, and the run's two refreshes.
  await expectNoTokenInBrowser(page, seen, 8);
  // The PKCE verifier stays on the server: the browser saw only the S256 challenge.
  expect(sent.join('\n')).not.toContain('code_verifier');
});
