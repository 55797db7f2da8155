import { expect, test } from '@playwright/test';

test('the session cookie is HttpOnly, SameSite=Lax, Path=/, host-only, small, and invisible to scripts', async ({ page, context }) => {
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
});

test('state-changing API calls without the CSRF header, or from another origin, are refused with 403 before any upstream call', async ({ request, baseURL }) => {
  const body = { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'extra-small' } };
  const cases: Record<string, string>[] = [
    { origin: baseURL! },
    { 'x-console-request': '1', origin: 'https://evil.example' },
    { 'x-console-request': '1', origin: 'null' },
    { 'x-console-request': '1', origin: baseURL!, 'sec-fetch-site': 'cross-site' },
  ];
  for (const headers of cases) {
    const response = await request.post('/api/oauth/bcda/token', { headers, data: body });
    expect(response.status(), JSON.stringify(headers)).toBe(403);
    expect((await response.json()).error.code).toBe('csrf_rejected');
  }
  const session = await request.get('/api/session');
  expect((await session.json()).exchanges).toEqual([]);
});

test('API responses carry no-store and the security headers', async ({ request }) => {
  const api = await request.get('/api/providers');
  expect(api.headers()['cache-control']).toContain('no-store');
  const page = await request.get('/');
  const headers = page.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
});

test('the provider list never carries a preset secret', async ({ request }) => {
  const text = await (await request.get('/api/providers')).text();
  expect(text).toContain('2462c96b-6427-4efb-aed7-118e20c2e997');
  expect(text).not.toContain('825598c105bd1fe021c9eb9d41b30e82beb7a505a1184282e69891f76aa0a396dc9d20f35c9df4a5');
  expect(text).not.toContain('clientSecret');
});
