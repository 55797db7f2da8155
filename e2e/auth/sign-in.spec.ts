import { spawn, type ChildProcess } from 'node:child_process';
import { type BrowserContext, type Cookie, type Page } from '@playwright/test';
import { expect, test, watchContentSecurityPolicy } from '../support/test';
import { freePort } from '../../test/free-port';
import { browserVisibleText, findTokenByFingerprint, FULL_JWT, presetSecrets, recordResponses, sessionFingerprints } from '../support/secrets';

/**
 * Console sign-in end to end: a real OpenID Connect provider (oidc-provider, on loopback) and a second console
 * process with sign-in configured, from the build the suite's webServer made. One browser context throughout:
 * user A and user B share it, as two people share a laptop.
 */

const CLIENT_ID = 'health-oauth-console';
const CLIENT_SECRET = 'e2e-idp-client-secret-4b8f1c2d9e';
const SESSION_SECRET = 'e2e-signin-session-secret-of-at-least-32-characters';

let consoleUrl = '';
let idpUrl = '';
const children: ChildProcess[] = [];
const output: string[] = [];


function start(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => output.push(`[${name}] ${chunk.toString()}`));
  children.push(child);
  return child;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before answering ${url}:\n${output.join('')}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms:\n${output.join('')}`);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  const [consolePort, idpPort] = [await freePort(), await freePort()];
  consoleUrl = `http://localhost:${consolePort}`;
  idpUrl = `http://127.0.0.1:${idpPort}`;
  const idp = start('idp', ['e2e/support/oidc-idp.mjs'], {
    IDP_PORT: String(idpPort),
    IDP_CLIENT_ID: CLIENT_ID,
    IDP_CLIENT_SECRET: CLIENT_SECRET,
    IDP_REDIRECT_URI: `${consoleUrl}/api/auth/callback/oidc`,
  });
  const server = start('console', ['scripts/server.mjs'], {
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(consolePort),
    SESSION_SECRET,
    LOG_LEVEL: 'warn',
    NEXTAUTH_URL: consoleUrl,
    CONSOLE_AUTH_OIDC_ISSUER: idpUrl,
    CONSOLE_AUTH_OIDC_CLIENT_ID: CLIENT_ID,
    CONSOLE_AUTH_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    CONSOLE_AUTH_OIDC_NAME: 'Acme SSO',
  });
  await waitFor(`${idpUrl}/.well-known/openid-configuration`, idp);
  await waitFor(`${consoleUrl}/sign-in`, server);
});

test.afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

test.afterEach(({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) console.log(output.join('').slice(-6000));
});

let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext({ baseURL: consoleUrl, viewport: { width: 1440, height: 1000 } });
  await watchContentSecurityPolicy(context);
  page = await context.newPage();
});

test.afterAll(async () => {
  await context?.close();
});

/** Through the console's sign-in page and the IdP's login form (or straight through when the IdP remembers). */
async function signIn(login: string): Promise<void> {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByTestId('sign-in-oidc').click();
  await page.waitForURL((url) => url.origin === idpUrl || url.origin === consoleUrl);
  const loginField = page.locator('input[name="login"]');
  const consent = page.getByRole('button', { name: 'Continue' });
  const home = page.getByTestId('signed-in-user');
  await expect(loginField.or(consent).or(home)).toBeVisible();
  if (await loginField.isVisible()) {
    await loginField.fill(login);
    await page.locator('input[name="password"]').fill('any password works here');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await expect(consent.or(home)).toBeVisible();
  }
  if (await consent.isVisible()) await consent.click();
  await expect(home).toBeVisible();
  expect(new URL(page.url()).origin).toBe(consoleUrl);
}

async function signOut(): Promise<void> {
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/sign-in\?signed-out=1/);
  await expect(page.getByRole('status')).toContainText('You signed out');
}

async function getToken(): Promise<void> {
  await page.getByLabel('Provider').selectOption('bcda');
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
}

async function consoleSession(): Promise<{ sessionTag: string | null; tokens: unknown[] }> {
  const response = await page.request.get('/api/session');
  expect(response.status()).toBe(200);
  return (await response.json()) as { sessionTag: string | null; tokens: unknown[] };
}

function consoleCookie(cookies: Cookie[]): Cookie | undefined {
  return cookies.find((c) => c.name === 'console_session');
}

test('SECURITY 16: without sign-in, pages go to the sign-in page, every BFF route and built-in sandbox answers 401 JSON', async ({ request }) => {
  await page.goto('/');
  await expect(page).toHaveURL(`${consoleUrl}/sign-in`);
  await expect(page.getByRole('heading', { name: 'Sign in to Health OAuth Console' })).toBeVisible();
  await expect(page.getByTestId('sign-in-oidc')).toHaveText('Sign in with Acme SSO');
  await page.screenshot({ path: test.info().outputPath('sign-in-page.png') });

  const calls = [
    request.get(`${consoleUrl}/api/session`),
    request.get(`${consoleUrl}/api/providers`),
    request.post(`${consoleUrl}/api/oauth/bcda/token`, {
      headers: { 'x-console-request': '1', origin: consoleUrl },
      data: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'extra-small' } },
    }),
    request.get(`${consoleUrl}/api/oauth/bluebutton/callback?code=c&state=s`, { maxRedirects: 0 }),
  ];
  for (const response of await Promise.all(calls)) {
    expect(response.status(), response.url()).toBe(401);
    expect(response.headers()['content-type']).toContain('application/json');
    expect(await response.json()).toEqual({ error: { code: 'sign_in_required', message: 'Sign in to use this console.', hint: expect.any(String) } });
  }

  // The sandboxes mint tokens: with sign-in on they answer the signed-in browser and the console server only.
  for (const sandbox of [
    await request.get(`${consoleUrl}/sandbox/bcda/api/v2/metadata`),
    await request.post(`${consoleUrl}/sandbox/candid/api/auth/v2/token`, { data: { client_id: 'x', client_secret: 'y' } }),
    await request.get(`${consoleUrl}/sandbox/bluebutton/v2/o/authorize?client_id=x`, { maxRedirects: 0 }),
  ]) {
    expect(sandbox.status(), sandbox.url()).toBe(401);
    expect((await sandbox.json()).error.code).toBe('sign_in_required');
  }
});

test('user A signs in at the IdP, gets a token, and no secret or token reaches the browser', async () => {
  const seen = recordResponses(page);
  await signIn('alice');
  await expect(page.getByTestId('signed-in-name')).toHaveText('Alice');
  await expect(page.getByTestId('signed-in-user')).toContainText('alice@example.test');
  await expect(page.getByTestId('localhost-only-notice')).toHaveCount(0);

  await getToken();
  const session = await consoleSession();
  expect(session.tokens).toHaveLength(1);
  await expect(page.getByTestId('session-tag')).toHaveText(`session ${session.sessionTag}`);
  await page.getByRole('banner').screenshot({ path: test.info().outputPath('signed-in-header.png') });

  const texts = await browserVisibleText(page, context, seen);
  const everything = texts.join('\n');
  for (const secret of [...presetSecrets, CLIENT_SECRET, SESSION_SECRET]) expect(everything).not.toContain(secret);
  expect(everything).not.toMatch(FULL_JWT);
  expect(findTokenByFingerprint(texts, await sessionFingerprints(page), SESSION_SECRET)).toBeNull();
  const cookies = await context.cookies(consoleUrl);
  expect(cookies.find((c) => c.name === 'next-auth.session-token')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  expect(await page.evaluate(() => document.cookie)).not.toMatch(/next-auth\.session-token|console_session/);
});

test('A signs out, B signs in on the same browser: B sees none of A’s tokens, even with A’s old cookie, and has another session id', async () => {
  await page.goto('/');
  const aTag = (await consoleSession()).sessionTag;
  expect(aTag).toMatch(/^[A-Za-z0-9_-]{8}$/);
  const aCookie = consoleCookie(await context.cookies(consoleUrl));
  expect(aCookie).toBeDefined();

  await signOut();
  expect(consoleCookie(await context.cookies(consoleUrl))).toBeUndefined();
  const afterSignOut = await page.request.get('/api/session');
  expect(afterSignOut.status()).toBe(401);
  // A's console session is gone from the vault too: A's own cookie would find nothing (checked below for B).

  // Another person at the same browser: the IdP must not remember A.
  await context.clearCookies({ domain: '127.0.0.1' });
  await signIn('bob');
  await expect(page.getByTestId('signed-in-name')).toHaveText('Bob');
  await expect(page.getByTestId('token-panel')).toHaveCount(0);

  // A's console cookie, left in the browser (or copied back), opens nothing for B.
  await context.addCookies([aCookie!]);
  const withACookie = await consoleSession();
  expect(withACookie.tokens).toEqual([]);
  expect(withACookie.sessionTag).toBeNull();

  await page.goto('/');
  await getToken();
  const bTag = (await consoleSession()).sessionTag;
  expect(bTag).toMatch(/^[A-Za-z0-9_-]{8}$/);
  expect(bTag).not.toBe(aTag);
  await expect(page.getByTestId('session-tag')).toHaveText(`session ${bTag}`);
});

test('signing in again gets a new session id: the earlier sign-in’s cookie does not reopen its session', async () => {
  await page.goto('/');
  const before = await consoleSession();
  expect(before.tokens).toHaveLength(1);
  const oldCookie = consoleCookie(await context.cookies(consoleUrl));

  await signOut();
  await signIn('bob');
  await expect(page.getByTestId('signed-in-name')).toHaveText('Bob');

  await context.addCookies([oldCookie!]);
  const again = await consoleSession();
  expect(again.tokens).toEqual([]);
  expect(again.sessionTag).toBeNull();

  await page.goto('/');
  await getToken();
  const after = await consoleSession();
  expect(after.sessionTag).not.toBe(before.sessionTag);
  await expect(page.getByTestId('session-tag')).toHaveText(`session ${after.sessionTag}`);
});

test('with no sign-in configured the page says it listens on localhost only, and a public address is refused', async ({ page: plain }) => {
  await plain.goto('/');
  const notice = plain.getByTestId('localhost-only-notice');
  await expect(notice).toHaveText('No sign-in configured: this console listens on localhost only.');
  await expect(plain.getByTestId('sign-out')).toHaveCount(0);
  await plain.getByRole('banner').screenshot({ path: test.info().outputPath('no-sign-in-header.png') });

  const refused = spawn(process.execPath, ['scripts/server.mjs'], {
    env: { ...process.env, NODE_ENV: 'production', PORT: String(await freePort()), SESSION_SECRET, HOSTNAME_BIND: '0.0.0.0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  refused.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => refused.once('exit', resolve));
  expect(code).toBe(1);
  expect(stderr).toContain('The console cannot start: HOSTNAME_BIND=0.0.0.0 would make the console reachable from other machines');
  expect(stderr).toContain('CONSOLE_AUTH_OIDC_ISSUER');
});
