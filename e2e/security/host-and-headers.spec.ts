import { request as httpRequest } from 'node:http';
import { choose, signInAtHealthSherpa } from '../support/console';
import { expect, test } from '../support/test';

/**
 * Issue #13's probe, repeated against the real server: DNS rebinding (rule 13), forwarded headers without a
 * proxy, malformed paths and oversized bodies (rules 11 and 12), the nonce CSP (rule 12) and the session id the
 * OAuth callback replaces (rule 16). Raw HTTP where a browser could not send the request (a foreign Host).
 */

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP/1.1 request with exactly these headers (Host included), to the e2e server's port on loopback. */
function raw(baseURL: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawAnswer> {
  const { port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: Number(port), method: options.method ?? 'GET', path: options.path, headers: options.headers, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${options.method ?? 'GET'} ${options.path} in 10 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

function expectSecurityHeaders(answer: RawAnswer, what: string): void {
  expect(answer.headers['content-security-policy'], what).toContain("frame-ancestors 'none'");
  expect(answer.headers['x-content-type-options'], what).toBe('nosniff');
  expect(answer.headers['x-frame-options'], what).toBe('DENY');
  expect(answer.headers['referrer-policy'], what).toBe('no-referrer');
}

test('SECURITY 13: a Host the console was not configured for gets 421 everywhere: pages, API, JWKS, sandboxes, static files', async ({ baseURL }) => {
  const rebound = `rebind.attacker.example:${new URL(baseURL!).port}`;
  const home = await raw(baseURL!, { path: '/', headers: { host: new URL(baseURL!).host } });
  const script = /<script src="(\/_next\/static\/[^"]+\.js)"/.exec(home.body)?.[1];
  expect(script).toBeDefined();

  const probes: { method?: string; path: string; headers?: Record<string, string>; body?: string }[] = [
    { path: '/' },
    { path: '/api/smart/keys' },
    { path: '/api/session' },
    { path: '/jwks/anything' },
    { path: '/sandbox/bcda/api/v2/metadata' },
    { path: script! },
    {
      method: 'POST',
      path: '/api/smart/discover',
      headers: { 'content-type': 'application/json', 'x-console-request': '1', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ url: `http://${rebound}/sandbox/smart/fhir` }),
    },
    { method: 'POST', path: '/sandbox/bcda/auth/token', headers: { authorization: 'Basic eDp5' } },
  ];
  for (const probe of probes) {
    const answer = await raw(baseURL!, { ...probe, headers: { ...probe.headers, host: rebound, origin: `http://${rebound}` } });
    expect(answer.status, probe.path).toBe(421);
    expect(answer.body, probe.path).toContain('421 Misdirected Request');
    expect(answer.headers['set-cookie'], probe.path).toBeUndefined();
    expectSecurityHeaders(answer, probe.path);
  }
  // A name the console was configured for still works, by any of its loopback spellings.
  for (const host of [new URL(baseURL!).host, `127.0.0.1:${new URL(baseURL!).port}`]) {
    expect((await raw(baseURL!, { path: '/api/providers', headers: { host } })).status, host).toBe(200);
  }
});

test('SECURITY 13: without TRUST_PROXY, X-Forwarded-Proto changes nothing: no https origin for CSRF, no __Host- cookie', async ({ baseURL }) => {
  const { host, port } = new URL(baseURL!);
  const answer = await raw(baseURL!, {
    method: 'POST',
    path: '/api/oauth/bcda/token',
    headers: {
      host,
      origin: `https://localhost:${port}`,
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example',
      'x-console-request': '1',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ environmentId: 'builtin', credential: { kind: 'preset', presetId: 'extra-small' } }),
  });
  expect(answer.status).toBe(403);
  expect(JSON.parse(answer.body).error.code).toBe('csrf_rejected');
  expect(answer.headers['set-cookie']).toBeUndefined();
});

test('SECURITY 11: a path with broken percent-encoding is a 400 with the security headers, never a bare 500', async ({ baseURL }) => {
  const host = new URL(baseURL!).host;
  for (const path of ['/api/fhir/%', '/jwks/%ff%fe', '/sandbox/bcda/%E0%A4%A', '/%']) {
    const answer = await raw(baseURL!, { path, headers: { host } });
    expect(answer.status, path).toBe(400);
    expect(answer.body, path).toContain('percent-encoding');
    expectSecurityHeaders(answer, path);
  }
});

test('SECURITY 11: a body announced larger than any route takes is refused from Content-Length, before it is sent', async ({ baseURL }) => {
  const { host } = new URL(baseURL!);
  // Only the headers go out: a server that waited for the 500 MB would never answer (raw() gives up after 10 s).
  const answer = await raw(baseURL!, {
    method: 'POST',
    path: '/api/smart/discover',
    headers: { host, origin: baseURL!, 'x-console-request': '1', 'content-type': 'application/json', 'content-length': '500000000' },
  });
  expect(answer.status).toBe(413);
  expect(answer.body).toContain('at most 2 MiB');
  expectSecurityHeaders(answer, 'oversized body');
});

test('SECURITY 12: pages carry a per-request nonce policy without unsafe-inline scripts, and an injected handler does not run', async ({ page, baseURL, cspViolations }) => {
  const first = await raw(baseURL!, { path: '/', headers: { host: new URL(baseURL!).host } });
  const second = await raw(baseURL!, { path: '/', headers: { host: new URL(baseURL!).host } });
  const policy = String(first.headers['content-security-policy']);
  const scriptSrc = policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'))!;
  expect(scriptSrc).toMatch(/^script-src 'nonce-[A-Za-z0-9+/=]{22,}' 'strict-dynamic'$/);
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).not.toContain('unsafe-eval');
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1]!;
  expect(String(second.headers['content-security-policy'])).not.toContain(nonce);
  const scripts = [...first.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

  await page.goto('/');
  await expect(page.getByTestId('get-token')).toBeVisible();
  // Markup injection, the usual XSS: an event-handler attribute runs without a policy, and must not run with ours.
  const pixel = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
  await page.evaluate((src) => document.body.insertAdjacentHTML('beforeend', `<img alt="" src="${src}" onload="window.__injected = true">`), pixel);
  await expect.poll(() => cspViolations.length).toBeGreaterThanOrEqual(1);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected === true)).toBe(false);
  expect(cspViolations.every((v) => v.startsWith('script-src'))).toBe(true);
  cspViolations.splice(0);
});

test('SECURITY 16: the OAuth callback replaces the session id: a copy of the cookie from before the login opens nothing', async ({ page, context }) => {
  await page.goto('/');
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  const before = (await context.cookies()).find((c) => c.name === 'console_session')!;

  await choose(page, 'healthsherpa', 'demo-partner-app');
  await signInAtHealthSherpa(page);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByTestId('token-panel')).toBeVisible();

  const after = (await context.cookies()).find((c) => c.name === 'console_session')!;
  expect(after.value).not.toBe(before.value);
  const current = await (await page.request.get('/api/session')).json();
  expect(current.tokens.map((t: { providerId: string }) => t.providerId).sort()).toEqual(['bcda', 'healthsherpa']);

  // The cookie a planted or copied value would be: it no longer opens the session, nor its tokens.
  await context.addCookies([before]);
  const replayed = await (await page.request.get('/api/session')).json();
  expect(replayed).toMatchObject({ sessionTag: null, tokens: [], exchanges: [] });
  expect(replayed.sessionTag).not.toBe(current.sessionTag);
});
