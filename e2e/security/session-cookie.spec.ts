import { join } from 'node:path';
import { type APIRequestContext } from '@playwright/test';
import { expect, test } from '../support/test';
import { sealData } from 'iron-session';
import { choose } from '../support/console';
import { E2E_ISSUED_SECRETS_NAME, readIssued } from '../support/log-scan';
import { E2E_LOG_DIR } from '../support/server-env';

const issuedCount = () => readIssued(join(E2E_LOG_DIR, E2E_ISSUED_SECRETS_NAME)).length;

test('SECURITY 2: the session cookie is HttpOnly, SameSite=Lax, Path=/, host-only, small, invisible to scripts; the transaction cookie is gone after the callback', async ({ page, context }) => {
  await page.goto('/');
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();

  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'console_session');
  expect(session).toBeDefined();
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', domain: 'localhost' });
  expect(session!.value.length).toBeLessThan(1024);
  expect(await page.evaluate(() => document.cookie)).not.toContain('console_session');

  // An authorization run sets its transaction cookie (HttpOnly, Lax) and the callback deletes it.
  await choose(page, 'healthsherpa', 'demo-partner-app');
  const started = page.waitForResponse((r) => r.url().endsWith('/api/oauth/healthsherpa/authorize'));
  await page.getByTestId('authorize').click();
  const setCookie = (await (await started).headerValue('set-cookie')) ?? '';
  expect(setCookie).toMatch(/^console_tx_healthsherpa=Fe26\.2\*.*; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
  await page.getByLabel('Email').fill('agent@demo-agency.test');
  expect((await context.cookies()).find((c) => c.name === 'console_tx_healthsherpa')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  await page.getByLabel('Password').fill('Sherpa-Demo-1!');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  expect((await context.cookies()).map((c) => c.name)).not.toContain('console_tx_healthsherpa');
});

async function withToken(request: APIRequestContext, baseURL: string): Promise<void> {
  const minted = await request.post('/api/oauth/bcda/token', {
    headers: { 'x-console-request': '1', origin: baseURL },
    data: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'extra-small' } },
  });
  expect(minted.status()).toBe(200);
}

test('SECURITY 3: a state-changing request without the custom header, cross-site, or from a foreign or null Origin is refused with 403 and calls no provider', async ({ request, baseURL }) => {
  await withToken(request, baseURL!);
  const sessionBefore = await (await request.get('/api/session')).json();
  const mintedBefore = issuedCount();
  const cases: [string, Record<string, string>][] = [
    ['missing header', { origin: baseURL! }],
    ['foreign Origin', { 'x-console-request': '1', origin: 'https://evil.example' }],
    ['null Origin', { 'x-console-request': '1', origin: 'null' }],
    ['no Origin', { 'x-console-request': '1' }],
    ['cross-site fetch', { 'x-console-request': '1', origin: baseURL!, 'sec-fetch-site': 'cross-site' }],
  ];
  const routes: [string, string, unknown][] = [
    ['POST', '/api/oauth/bcda/token', { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'extra-small' }, forceNew: true }],
    ['POST', '/api/oauth/bcda/introspect', {}],
    ['POST', '/api/fhir/bcda', { environmentId: 'builtin', path: '/api/v2/metadata' }],
    ['POST', '/api/fhir/bcda/download', { environmentId: 'builtin', path: '/data/1/x.ndjson' }],
    ['PUT', '/api/session/simulations/bcda', { failures: ['invalid_client'] }],
    ['DELETE', '/api/session', undefined],
  ];
  for (const [method, path, data] of routes) {
    for (const [name, headers] of cases) {
      const response = await request.fetch(path, { method, headers, data });
      expect(response.status(), `${method} ${path}: ${name}`).toBe(403);
      expect((await response.json()).error.code).toBe('csrf_rejected');
    }
  }
  // No upstream call: the sandboxes minted nothing, the session recorded no exchange, nothing changed.
  expect(issuedCount()).toBe(mintedBefore);
  const sessionAfter = await (await request.get('/api/session')).json();
  expect(sessionAfter.exchanges).toEqual(sessionBefore.exchanges);
  expect(sessionAfter.tokens).toEqual(sessionBefore.tokens);
  expect(sessionAfter.simulations).toEqual(sessionBefore.simulations);
});

test('SECURITY 10: a tampered cookie or one sealed with a retired password reads as anonymous — clear JSON, never a 500 — and the page still works', async ({ page, context, baseURL }) => {
  await withToken(page.request, baseURL!);
  const real = (await context.cookies()).find((c) => c.name === 'console_session')!;
  const retired = await sealData({ sid: 'A'.repeat(24), createdAt: Date.now() }, { password: { '1': 'a-retired-password-of-at-least-32-chars' }, ttl: 3600 });
  for (const value of [real.value.slice(0, -4) + 'AAAA', retired]) {
    await context.clearCookies();
    await context.addCookies([{ ...real, value }]);
    const session = await page.request.get('/api/session');
    expect(session.status()).toBe(200);
    expect(await session.json()).toMatchObject({ tokens: [], exchanges: [] });
    const refresh = await page.request.post('/api/oauth/bcda/refresh', { headers: { 'x-console-request': '1', origin: baseURL! } });
    expect(refresh.status()).toBe(404);
    expect((await refresh.json()).error.code).toBe('no_token');
    await page.goto('/');
    await expect(page.getByTestId('get-token')).toBeVisible();
  }
});

test('SECURITY 10: "Forget session" (logout) deletes the vault entry: the old cookie, replayed, finds no token and no history', async ({ page, context, baseURL }) => {
  await page.goto('/');
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  const old = (await context.cookies()).find((c) => c.name === 'console_session')!;
  expect((await (await page.request.get('/api/session')).json()).tokens).toHaveLength(1);

  const forgotten = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'DELETE');
  await page.getByTestId('forget-session').click();
  expect((await forgotten).status()).toBe(200);
  await expect(page.getByTestId('token-panel')).toHaveCount(0);
  expect((await context.cookies()).find((c) => c.name === 'console_session')).toBeUndefined();

  // Replaying the old cookie: the vault no longer has anything under its sid.
  await context.addCookies([old]);
  const replayed = await (await page.request.get('/api/session')).json();
  expect(replayed).toMatchObject({ tokens: [], exchanges: [] });
  const refresh = await page.request.post('/api/oauth/bcda/refresh', { headers: { 'x-console-request': '1', origin: baseURL! } });
  expect((await refresh.json()).error.code).toBe('no_token');
});

test('SECURITY 12: pages and API answers carry CSP frame-ancestors none, HSTS, nosniff and X-Frame-Options DENY', async ({ request }) => {
  for (const path of ['/', '/api/providers', '/api/session']) {
    const headers = (await request.get(path)).headers();
    expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(headers['strict-transport-security'], path).toMatch(/max-age=\d{7,}/);
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['x-frame-options'], path).toBe('DENY');
  }
});

test('SECURITY 11: API answers are no-store, pages send no referrer, and an error names a code, not a stack', async ({ request }) => {
  for (const path of ['/api/providers', '/api/session']) expect((await request.get(path)).headers()['cache-control'], path).toContain('no-store');
  expect((await request.get('/')).headers()['referrer-policy']).toBe('no-referrer');
  const error = await request.post('/api/oauth/nope/token', { headers: { 'x-console-request': '1', origin: 'http://localhost' }, data: '{' });
  const text = await error.text();
  expect(text).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  expect(JSON.parse(text).error.code).toBeTruthy();
});

test('SECURITY 1: the provider list never carries a preset secret', async ({ request }) => {
  const text = await (await request.get('/api/providers')).text();
  expect(text).toContain('2462c96b-6427-4efb-aed7-118e20c2e997');
  expect(text).not.toContain('825598c105bd1fe021c9eb9d41b30e82beb7a505a1184282e69891f76aa0a396dc9d20f35c9df4a5');
  expect(text).not.toContain('clientSecret');
});
