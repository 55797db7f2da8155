import { randomBytes } from 'node:crypto';
import { type APIRequestContext, type Page } from '@playwright/test';
import { expect, test } from '../support/test';
import type { ExchangeDto, SessionDto, TokenResponseDto } from '../../lib/contract/schemas';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { setSimulatedFailure, signInAtHealthSherpa } from '../support/console';
import { startConsole, type ConsoleProcess } from '../support/console-process';
import { bcda as bcdaProvider } from '../../lib/providers/bcda';

// Issue #7, "Vault on Redis": two console processes share one real redis-server. Both instances call the built-in
// sandboxes of B (CONSOLE_INTERNAL_ORIGIN), so B plays the provider and A can be killed without touching it.
// The browser opens both on `localhost`: the session cookie is host-only, so every port of the host gets it.

const PORT_A = 4211;
const PORT_B = 4212;

let redis: RedisServer;
let consoleA: ConsoleProcess;
let consoleB: ConsoleProcess;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  redis = await startRedisServer();
  const env = {
    SESSION_SECRET: randomBytes(32).toString('hex'),
    REDIS_URL: redis.url,
    CONSOLE_INTERNAL_ORIGIN: `http://127.0.0.1:${PORT_B}`,
    LOG_LEVEL: 'warn',
  };
  [consoleA, consoleB] = await Promise.all([startConsole('A', PORT_A, env), startConsole('B', PORT_B, env)]);
});

test.afterAll(async () => {
  redis?.resume();
  await Promise.all([consoleA?.kill(), consoleB?.kill()]);
  await redis?.stop();
});

async function getSession(request: APIRequestContext, origin: string): Promise<SessionDto> {
  const response = await request.get(`${origin}/api/session`);
  expect(response.status(), `GET ${origin}/api/session`).toBe(200);
  return (await response.json()) as SessionDto;
}

async function sendFhir(page: Page, preset: RegExp): Promise<void> {
  await page.getByTestId('fhir-panel').getByRole('button', { name: preset }).click();
  await page.getByTestId('fhir-send').click();
}

test('two consoles share sessions through Redis; restarting one loses nothing; Redis paused → a clear 503, then recovery without restart', async ({ page }) => {
  test.setTimeout(150_000);

  const token = await test.step('console A: a BCDA token', async () => {
    await page.goto(`${consoleA.origin}/`);
    await page.getByLabel('Provider').selectOption('bcda');
    await page.getByLabel('Environment').selectOption('builtin');
    await page.getByLabel('Credential set').selectOption('extra-small');
    await page.getByTestId('get-token').click();
    await expect(page.getByTestId('claims-table')).toContainText('SBXBD001');
    const session = await getSession(page.request, consoleA.origin);
    const bcda = session.tokens.find((t) => t.providerId === 'bcda');
    expect(bcda?.jwt?.claims.jti).toEqual(expect.any(String));
    return { fingerprint: bcda!.fingerprint, jti: String(bcda!.jwt!.claims.jti), exchanges: session.exchanges.map((e) => e.id) };
  });

  await test.step('console B: the same token, claims and timeline; its FHIR call uses that token', async () => {
    await page.goto(`${consoleB.origin}/`);
    await expect(page.getByTestId('token-fingerprint')).toContainText(token.fingerprint.hmacPrefix);
    await expect(page.getByTestId('claims-table')).toContainText(token.jti);
    await expect(page.getByTestId('timeline')).toContainText('/auth/token');
    const session = await getSession(page.request, consoleB.origin);
    expect(session.tokens.map((t) => t.fingerprint)).toEqual([token.fingerprint]);
    expect(session.exchanges.map((e) => e.id)).toEqual(token.exchanges);

    await sendFhir(page, /CapabilityStatement/);
    await expect(page.getByTestId('fhir-response-body')).toContainText('CapabilityStatement');
  });

  await test.step('console A killed (SIGKILL) and restarted: the session is intact and works', async () => {
    await consoleA.kill();
    await consoleA.restart();
    await page.goto(`${consoleA.origin}/`);
    await expect(page.getByTestId('token-fingerprint')).toContainText(token.fingerprint.hmacPrefix);
    await expect(page.getByTestId('claims-table')).toContainText(token.jti);
    // B's FHIR call is in A's timeline too: one history, whichever instance answers.
    await expect(page.getByTestId('timeline')).toContainText('/metadata');
    await sendFhir(page, /CapabilityStatement/);
    await expect(page.getByTestId('fhir-response-body')).toContainText('CapabilityStatement');
    const session = await getSession(page.request, consoleA.origin);
    expect(session.exchanges).toHaveLength(token.exchanges.length + 2);
  });

  await test.step('Redis paused (SIGSTOP): the page says so with a 503, nothing hangs or crashes', async () => {
    redis.pause();
    try {
      const timeline = page.getByTestId('timeline');
      await timeline.getByRole('button', { name: 'Refresh' }).click();
      const alert = timeline.getByRole('alert');
      await expect(alert).toContainText('vault_unavailable', { timeout: 10_000 });
      await expect(alert).toContainText('The session store (Redis) is not answering');
      await expect(alert).toContainText('HTTP 503');
      await expect(alert).toContainText('Nothing was lost');
      // The page keeps what it had: the token panel is still there.
      await expect(page.getByTestId('token-fingerprint')).toContainText(token.fingerprint.hmacPrefix);

      // Each instance answers within about the command timeout (2 s), with the error shape and Retry-After.
      for (const origin of [consoleA.origin, consoleB.origin]) {
        const started = Date.now();
        const response = await page.request.get(`${origin}/api/session`);
        const elapsed = Date.now() - started;
        expect(response.status()).toBe(503);
        expect(response.headers()['retry-after']).toBe('2');
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('vault_unavailable');
        expect(elapsed, `${origin} answered in ${elapsed} ms`).toBeLessThan(6_000);
      }

      // The built-in sandboxes keep their state in the same Redis (issue #20): they say so with a 503 too.
      const bcda = bcdaProvider.presets.find((p) => p.id === 'extra-small')!;
      const sandbox = await page.request.post(`${consoleB.origin}/sandbox/bcda/auth/token`, {
        headers: { Authorization: `Basic ${Buffer.from(`${bcda.clientId}:${bcda.clientSecret}`).toString('base64')}`, Accept: 'application/json' },
      });
      expect(sandbox.status()).toBe(503);
      expect(sandbox.headers()['retry-after']).toBe('2');
      expect(((await sandbox.json()) as { error: { code: string } }).error.code).toBe('sandbox_state_unavailable');
    } finally {
      redis.resume();
    }
  });

  await test.step('Redis resumed (SIGCONT): both consoles work again without a restart', async () => {
    const timeline = page.getByTestId('timeline');
    await expect(async () => {
      await timeline.getByRole('button', { name: 'Refresh' }).click();
      await expect(timeline.getByRole('alert')).toHaveCount(0, { timeout: 2_000 });
    }).toPass({ timeout: 15_000 });
    await sendFhir(page, /CapabilityStatement/);
    await expect(page.getByTestId('fhir-response-body')).toContainText('CapabilityStatement');
    for (const origin of [consoleA.origin, consoleB.origin]) {
      const session = await getSession(page.request, origin);
      expect(session.tokens.map((t) => t.fingerprint)).toEqual([token.fingerprint]);
      expect(session.exchanges).toHaveLength(token.exchanges.length + 3);
    }
    const bcda = bcdaProvider.presets.find((p) => p.id === 'extra-small')!;
    const sandbox = await page.request.post(`${consoleB.origin}/sandbox/bcda/auth/token`, {
      headers: { Authorization: `Basic ${Buffer.from(`${bcda.clientId}:${bcda.clientSecret}`).toString('base64')}`, Accept: 'application/json' },
    });
    expect(sandbox.status()).toBe(200);
  });
});

/** A refresh grant in the timeline: the token endpoint called with `grant_type=refresh_token`. */
function isRefreshExchange(exchange: ExchangeDto): boolean {
  return exchange.kind === 'token' && /grant_type["=:\s]*"?refresh_token/.test(exchange.request.body ?? '');
}

test('refresh single-flight across instances: 10 parallel refreshes split over A and B → exactly one upstream refresh', async ({ page }) => {
  test.setTimeout(90_000);
  // HealthSherpa rotates refresh tokens and revokes the whole family when a used one comes back: a second
  // upstream refresh would fail loudly, not pass unnoticed.
  await page.goto(`${consoleB.origin}/`);
  await page.getByLabel('Provider').selectOption('healthsherpa');
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('demo-partner-app');
  await signInAtHealthSherpa(page);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  const before = (await getSession(page.request, consoleB.origin)).tokens.find((t) => t.providerId === 'healthsherpa');
  expect(before?.refresh?.rotates).toBe(true);

  // A slow token endpoint (4 s) keeps the one refresh in flight while all ten calls arrive.
  await setSimulatedFailure(page, 'Slow token endpoint', true);
  await expect(page.getByTestId('failure-simulation-active')).toBeVisible();

  const origins = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? consoleA.origin : consoleB.origin));
  const answers = await Promise.all(
    origins.map(async (origin) => {
      const response = await page.request.post(`${origin}/api/oauth/healthsherpa/refresh`, {
        headers: { 'x-console-request': '1', origin },
        data: {},
      });
      expect(response.status(), `${origin}: ${await response.text()}`).toBe(200);
      return ((await response.json()) as TokenResponseDto).token;
    }),
  );
  const fingerprints = new Set(answers.map((t) => t.fingerprint.hmacPrefix));
  expect(fingerprints.size).toBe(1);
  expect(fingerprints.has(before!.fingerprint.hmacPrefix)).toBe(false);
  for (const answer of answers) expect(answer.refresh?.history).toHaveLength(1);

  const session = await getSession(page.request, consoleA.origin);
  const refreshes = session.exchanges.filter((e) => e.providerId === 'healthsherpa' && isRefreshExchange(e));
  expect(refreshes).toHaveLength(1);
  expect(refreshes[0]?.status).toBe(200);

  // The rotated refresh token was stored before anyone was answered: the next refresh, on the other instance, works.
  await page.getByTestId('failure-simulation-off').click();
  await page.goto(`${consoleA.origin}/?provider=healthsherpa`);
  await expect(page.getByTestId('refresh-history').getByText(/rotated/i)).toHaveCount(1);
  await page.getByTestId('refresh-token').click();
  await expect(page.getByTestId('refresh-history').getByText(/rotated/i)).toHaveCount(2);
});
