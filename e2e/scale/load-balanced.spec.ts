import { randomBytes } from 'node:crypto';
import { type Page, type Response } from '@playwright/test';
import { expect, test } from '../support/test';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { choose, setSimulatedFailure, signInAtHealthSherpa } from '../support/console';
import { startConsole, type ConsoleProcess } from '../support/console-process';
// @ts-expect-error -- a plain ES module shared with `npm run load`; its shape is checked by what this spec does with it.
import { INSTANCE_HEADER, startLoadBalancer } from '../../scripts/load-balancer.mjs';

// Issue #20, "Proven behind a real load balancer": two console instances behind haproxy (round-robin for every request,
// no stickiness) on one redis-server. The browser and the consoles' own calls to the built-in sandboxes both go
// through the balancer (CONSOLE_INTERNAL_ORIGIN), so every step of a flow (the console's and the sandbox's) may land
// on either instance, and each flow below checks that both did serve it.

interface LoadBalancer {
  origin: string;
  url: string;
  stop(): Promise<void>;
  served(): Promise<Record<string, number>>;
  output(): string;
}

const LB_PORT = 4230;
const PORTS = { a: 4231, b: 4232 } as const;
type InstanceName = keyof typeof PORTS;

let redis: RedisServer;
let lb: LoadBalancer;
const consoles = {} as Record<InstanceName, ConsoleProcess>;

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: `http://localhost:${LB_PORT}` });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  redis = await startRedisServer();
  const env = {
    SESSION_SECRET: randomBytes(32).toString('hex'),
    REDIS_URL: redis.url,
    CONSOLE_PUBLIC_ORIGIN: `http://localhost:${LB_PORT}`,
    CONSOLE_INTERNAL_ORIGIN: `http://127.0.0.1:${LB_PORT}`,
    LOG_LEVEL: 'warn',
  };
  [consoles.a, consoles.b] = await Promise.all([startConsole('a', PORTS.a, env), startConsole('b', PORTS.b, env)]);
  lb = (await startLoadBalancer({ port: LB_PORT, backends: [{ name: 'a', port: PORTS.a }, { name: 'b', port: PORTS.b }] })) as LoadBalancer;
});

test.afterAll(async () => {
  await lb?.stop();
  await Promise.all([consoles.a?.kill(), consoles.b?.kill()]);
  await redis?.stop();
});

/** Records which instance answered each of the page's requests (the balancer's `X-Console-Instance`). */
function watchInstances(page: Page): { seen: Map<InstanceName, number>; last: (match: (r: Response) => boolean) => InstanceName | undefined } {
  const seen = new Map<InstanceName, number>();
  const log: Array<{ response: Response; name: InstanceName }> = [];
  page.on('response', (response) => {
    const name = response.headers()[INSTANCE_HEADER] as InstanceName | undefined;
    if (name !== 'a' && name !== 'b') return;
    seen.set(name, (seen.get(name) ?? 0) + 1);
    log.push({ response, name });
  });
  return { seen, last: (match) => log.filter((e) => match(e.response)).at(-1)?.name };
}

/** Both instances served this flow, in the browser's requests and in the sandbox calls made on its behalf. */
async function expectBothServed(seen: Map<InstanceName, number>, before: Record<string, number>) {
  expect([...seen.keys()].sort(), 'the browser reached both instances').toEqual(['a', 'b']);
  const after = await lb.served();
  for (const name of ['a', 'b']) expect(after[name]! - (before[name] ?? 0), `requests sent to ${name}`).toBeGreaterThan(2);
}

const other = (name: InstanceName): InstanceName => (name === 'a' ? 'b' : 'a');

test('the balancer sends consecutive requests to alternating instances, with no stickiness', async ({ request }) => {
  const names: string[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await request.get('/api/providers');
    expect(response.status()).toBe(200);
    names.push(response.headers()[INSTANCE_HEADER] ?? '?');
  }
  expect(new Set(names)).toEqual(new Set(['a', 'b']));
  for (let i = 1; i < names.length; i++) expect(names[i], `request ${i + 1}`).not.toBe(names[i - 1]);
});

test('authorization code with login and consent on the sandbox pages, across instances: Blue Button, HealthSherpa and SMART, each with a rotating refresh', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchInstances(page);
  const before = await lb.served();

  await test.step('Blue Button: login, consent, token, refresh with rotation, EOB', async () => {
    await choose(page, 'bluebutton', 'demo-demographic');
    await page.getByTestId('authorize').click();
    await page.getByLabel('Username').fill('BBUser00000');
    await page.getByLabel('Password').fill('PW00000!');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await expect(page.getByTestId('token-facts')).toContainText('-20140000000001');
    await page.getByTestId('refresh-token').click();
    await expect(page.getByTestId('refresh-history')).toContainText(/rotated/i);
    await page.getByTestId('fhir-panel').getByRole('button', { name: /ExplanationOfBenefit/ }).first().click();
    await page.getByTestId('fhir-send').click();
    await expect(page.getByTestId('fhir-response-body')).toContainText('searchset');
  });

  await test.step('HealthSherpa: agent login and consent, a contact, refresh with rotation', async () => {
    await choose(page, 'healthsherpa', 'demo-partner-app');
    await signInAtHealthSherpa(page);
    await page.getByRole('button', { name: 'Authorize' }).click();
    await expect(page.getByTestId('token-status-bar').getByTestId('token-status')).toHaveText('Live');
    await page.getByTestId('fhir-panel').getByRole('button', { name: /Create contact/ }).click();
    await page.getByTestId('fhir-send').click();
    await expect(page.getByTestId('fhir-response-body')).toContainText('CRM123');
    await page.getByTestId('refresh-token').click();
    await expect(page.getByTestId('refresh-history').getByText(/rotated/i)).toHaveCount(1);
  });

  await test.step('SMART: sign in and approve, refresh with rotation, Patient search', async () => {
    await choose(page, 'smart', 'confidential-app');
    await page.getByTestId('authorize').click();
    await page.getByLabel('Username').fill('patient1');
    await page.getByLabel('Password').fill('smart-sandbox');
    await page.getByRole('button', { name: 'Sign in and approve' }).click();
    await expect(page.getByTestId('granted-scopes')).toContainText('patient/*.rs');
    await page.getByTestId('refresh-token').click();
    await expect(page.getByTestId('refresh-history')).toContainText(/rotated/i);
    await page.getByTestId('fhir-panel').getByRole('button', { name: 'Patient search', exact: true }).click();
    await page.getByTestId('fhir-send').click();
    await expect(page.getByTestId('fhir-response-body')).toContainText('smart-1');
  });

  await expectBothServed(watch.seen, before);
});

test('client credentials across instances: BCDA, Candid and 1upHealth tokens verified against the JWKS, and a first API call each', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchInstances(page);
  const before = await lb.served();

  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toContainText('SBXBD001');
  // The token was signed by one instance's sandbox and its signature checked against the JWKS another may serve.
  await expect(page.getByTestId('token-panel')).toContainText(/verified/i);
  await page.getByTestId('fhir-panel').getByRole('button', { name: /CapabilityStatement/ }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('CapabilityStatement');

  await choose(page, 'candid', 'demo-billing');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toContainText('@clients');
  await page.getByTestId('fhir-panel').getByRole('button', { name: /encounters/i }).first().click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('items');

  await choose(page, '1uphealth', 'provider-access');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toContainText('service-account-');
  await expect(page.getByTestId('token-panel')).toContainText(/verified/i);
  await page.getByTestId('fhir-panel').getByRole('button', { name: 'Patient search', exact: true }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('searchset');

  await expectBothServed(watch.seen, before);
});

test('SMART registration (RFC 7591) on one instance, Backend Services tokens from both', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchInstances(page);
  const before = await lb.served();
  await page.goto('/');
  await page.getByRole('button', { name: '+ Add a provider by URL' }).click();
  const panel = page.getByTestId('add-provider-panel');
  const keys = panel.getByTestId('client-keys');
  await expect(keys.getByRole('button', { name: 'Generate ES384' })).toBeVisible();
  const keysBefore = await keys.getByTestId('client-key').count();
  await keys.getByRole('button', { name: 'Generate ES384' }).click();
  await expect(keys.getByTestId('client-key')).toHaveCount(keysBefore + 1);
  await panel.getByRole('button', { name: 'Built-in SMART sandbox' }).click();
  const form = panel.getByTestId('provider-config-form');
  await form.getByLabel('Grant', { exact: true }).selectOption('client_credentials');
  await expect(form.getByLabel('Client authentication')).toHaveValue('private_key_jwt');
  await form.getByRole('button', { name: 'Register at this server' }).click();
  await expect(form.getByTestId('registration-result')).toBeVisible();
  const clientId = await form.getByLabel('Client ID', { exact: true }).inputValue();
  expect(clientId).not.toBe('');
  await form.getByTestId('save-provider').click();
  await expect(panel.getByTestId('provider-saved')).toBeVisible();

  // Three tokens in a row: round-robin sends their exchanges (and the sandbox's reads of the client's JWKS) to both
  // instances, whichever holds the registration.
  const claims = page.getByTestId('client-assertion').getByTestId('client-assertion-claims');
  await page.getByTestId('get-token').click();
  await expect(claims.locator('[data-claim="iss"]')).toContainText(clientId);
  for (let i = 0; i < 2; i++) {
    const jti = (await claims.locator('[data-claim="jti"]').textContent()) ?? '';
    await page.getByTestId('get-token').click();
    // Get token mints again, or offers to when it reused a live token.
    const jtiCell = claims.locator('[data-claim="jti"]');
    await expect.poll(async () => (await page.getByTestId('token-reused').isVisible()) || (await jtiCell.textContent()) !== jti).toBe(true);
    if (await page.getByTestId('token-reused').isVisible()) await page.getByTestId('mint-new-token').click();
    await expect(jtiCell).not.toHaveText(jti);
    await expect(page.getByTestId('token-panel')).toContainText('Signature verified');
  }
  await expect(page.getByTestId('token-error')).toHaveCount(0);
  await expectBothServed(watch.seen, before);
});

async function completedBcdaExport(page: Page) {
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
  const bulk = page.getByTestId('bulk-export');
  const form = bulk.getByTestId('bulk-kickoff-form');
  await form.getByRole('radio', { name: 'Patient' }).check();
  await form.getByRole('checkbox', { name: 'Patient' }).check();
  await form.getByTestId('bulk-kickoff').click();
  // Kick-off, status polls and the manifest each go to whichever instance is next.
  await expect(bulk.getByTestId('bulk-job')).toHaveAttribute('data-phase', 'completed', { timeout: 30_000 });
  return bulk.getByTestId('bulk-file').filter({ hasText: 'Patient' }).first();
}

test('a BCDA export across instances: kick-off, status, manifest and a download', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchInstances(page);
  const before = await lb.served();
  const file = await completedBcdaExport(page);
  await file.getByRole('button', { name: /^Download / }).click();
  await expect(file).toHaveAttribute('data-download', 'done', { timeout: 30_000 });
  await expect(file.getByTestId('bulk-download-stats')).toHaveAttribute('data-resources', '50');
  await expectBothServed(watch.seen, before);
});

test('an instance killed between login and callback: the other finishes the sign-in, and the session is intact', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchInstances(page);
  await choose(page, 'bluebutton', 'demo-demographic');
  await page.getByTestId('authorize').click();
  await page.getByLabel('Username').fill('BBUser00000');
  await page.getByLabel('Password').fill('PW00000!');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Allow' })).toBeVisible();

  // The instance that just served the consent page goes away (SIGKILL: nothing is flushed).
  const victim = watch.last((r) => r.request().isNavigationRequest()) ?? 'a';
  await consoles[victim].kill();
  try {
    await page.getByRole('button', { name: 'Allow' }).click();
    await expect(page.getByTestId('token-facts')).toContainText('-20140000000001');
    expect(watch.last((r) => r.url().includes('/api/oauth/bluebutton/callback'))).toBe(other(victim));
    await page.getByTestId('fhir-panel').getByRole('button', { name: /ExplanationOfBenefit/ }).first().click();
    await page.getByTestId('fhir-send').click();
    await expect(page.getByTestId('fhir-response-body')).toContainText('searchset');
  } finally {
    await consoles[victim].restart();
  }
  // Back in the rotation, the restarted instance shows the same session.
  await page.reload();
  await expect(page.getByTestId('token-facts')).toContainText('-20140000000001');
});

test('an instance killed during a download: the page says the download was interrupted, and Retry completes it on the other', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchInstances(page);
  const file = await completedBcdaExport(page);

  // A slow body (simulated) keeps the file in flight long enough to pull the plug on whoever serves it.
  await setSimulatedFailure(page, 'Slow body', true);
  const downloading = page.waitForResponse((r) => r.url().includes('/api/fhir/bcda/download'));
  await file.getByRole('button', { name: /^Download / }).click();
  const served = (await downloading).headers()[INSTANCE_HEADER] as InstanceName;
  expect(['a', 'b']).toContain(served);
  await expect.poll(async () => Number(await file.getByTestId('bulk-download-stats').getAttribute('data-bytes')), { timeout: 10_000 }).toBeGreaterThan(0);
  await consoles[served].kill();
  try {
    await expect(file).toHaveAttribute('data-download', 'interrupted', { timeout: 15_000 });
    const alert = file.getByRole('alert');
    await expect(alert).toContainText('Download interrupted.');
    await expect(alert).toContainText('the connection closed before the file ended');
    await expect(alert).toContainText('Retry downloads the file again from the start.');
    await file.screenshot({ path: 'test-results/screenshots/download-interrupted.png' });

    await setSimulatedFailure(page, 'Slow body', false);
    await file.getByRole('button', { name: /^Retry / }).click();
    await expect(file).toHaveAttribute('data-download', 'done', { timeout: 30_000 });
    await expect(file.getByTestId('bulk-download-stats')).toHaveAttribute('data-resources', '50');
    expect(watch.last((r) => r.url().includes('/api/fhir/bcda/download'))).toBe(other(served));
  } finally {
    await consoles[served].restart();
  }
});
