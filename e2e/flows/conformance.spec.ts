import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { choose, signInAtBlueButton, signInAtHealthSherpa } from '../support/console';
import { browserVisibleText, FULL_JWT, presetSecrets, recordResponses } from '../support/secrets';

/**
 * Issue #18 §4 "proven against": "Check this server" run against each built-in sandbox fails exactly its provider's
 * documented deviations and nothing else; the SMART reference server passes every check that applies. The run is the
 * page's own call (`POST /api/conformance/{id}`, NDJSON), so what the browser received is searched for secrets too.
 */

interface Result {
  checkId: string;
  outcome: 'pass' | 'warn' | 'fail' | 'known' | 'skip';
  message: string;
  deviations: { code: string; summary: string }[];
  exchangeIds: string[];
}

async function runChecks(page: Page, providerId: string): Promise<{ results: Result[]; events: { type: string }[] }> {
  const presetId = await page.getByLabel('Credential set').inputValue();
  const text = await page.evaluate(
    async ({ providerId, presetId }) => {
      const response = await fetch(`/api/conformance/${providerId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-console-request': '1' },
        body: JSON.stringify({ environmentId: 'builtin', credential: { kind: 'preset', presetId } }),
      });
      if (response.status !== 200 || !response.headers.get('content-type')?.startsWith('application/x-ndjson')) throw new Error(`${response.status} ${await response.text()}`);
      return response.text();
    },
    { providerId, presetId },
  );
  const events = text.trim().split('\n').map((line) => JSON.parse(line) as { type: string; result?: Result });
  return { events, results: events.flatMap((e) => (e.type === 'result' && e.result ? [e.result] : [])) };
}

function expectExactly(results: Result[], documented: string[]): void {
  const problems = results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn').map((r) => `${r.checkId}: ${r.message}`);
  expect(problems, 'checks that fail without a documented deviation').toEqual([]);
  const known = [...new Set(results.filter((r) => r.outcome === 'known').flatMap((r) => r.deviations.map((d) => d.code)))].sort();
  expect(known).toEqual([...documented].sort());
  for (const r of results.filter((r) => r.outcome === 'skip')) expect(r.message, `${r.checkId} says why it was skipped`).toMatch(/\w{3,}.*\w{3,}/);
  expect(results.filter((r) => r.outcome === 'pass').length).toBeGreaterThan(4);
}

const clientCredentials: [string, string, string[]][] = [
  ['bcda', 'extra-small', ['no_grant_type', 'token_type_case', 'expires_in_string', 'expires_header_format', 'fhir_json_media_type']],
  ['candid', '', ['json_token_request', 'no_grant_type']],
  ['1uphealth', '', []],
];

for (const [providerId, presetId, documented] of clientCredentials) {
  test(`Check this server: the ${providerId} sandbox fails exactly its documented deviations (${documented.join(', ') || 'none'})`, async ({ page, context }) => {
    const seen = recordResponses(page);
    await page.goto('/');
    await page.getByLabel('Provider').selectOption(providerId);
    await page.getByLabel('Environment').selectOption('builtin');
    if (presetId) await page.getByLabel('Credential set').selectOption(presetId);
    const { results, events } = await runChecks(page, providerId);
    expect(events[0]?.type).toBe('start');
    expect(events.at(-1)?.type).toBe('done');
    expectExactly(results, documented);
    const texts = await browserVisibleText(page, context, seen);
    for (const text of texts) {
      for (const secret of presetSecrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(FULL_JWT);
    }
  });
}

test('Check this server: the Blue Button sandbox after a sign-in fails exactly its documented deviation (no ID token for openid)', async ({ page }) => {
  await choose(page, 'bluebutton', 'demo-demographic');
  await signInAtBlueButton(page);
  await expect(page.getByTestId('token-panel')).toBeVisible();
  const { results } = await runChecks(page, 'bluebutton');
  expectExactly(results, ['openid_without_id_token']);
  expect(results.find((r) => r.checkId === 'standalone.state-returned')?.outcome).toBe('pass');
});

test('Check this server: the HealthSherpa sandbox after a sign-in passes, its API judged as its own JSON', async ({ page }) => {
  await choose(page, 'healthsherpa', 'demo-partner-app');
  await signInAtHealthSherpa(page);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  const { results } = await runChecks(page, 'healthsherpa');
  expectExactly(results, []);
  expect(results.find((r) => r.checkId === 'fhir.resource-valid')?.message).toMatch(/not FHIR/);
});

test('Check this server: the SMART reference server passes every check that applies, with nothing known or warned', async ({ page }) => {
  await choose(page, 'smart', 'confidential-app');
  await page.getByTestId('authorize').click();
  await page.getByLabel('Username').fill('patient1');
  await page.getByLabel('Password').fill('smart-sandbox');
  await page.getByRole('button', { name: 'Sign in and approve' }).click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  const started = Date.now();
  const { results } = await runChecks(page, 'smart');
  // Issue #18: a whole run against the built-in SMART sandbox takes under 30 s.
  expect(Date.now() - started).toBeLessThan(30_000);
  expectExactly(results, []);
  for (const id of ['discovery.smart-configuration-fields', 'discovery.pkce-s256', 'standalone.launch-context', 'openid.id-token-signature', 'openid.fhir-user-resolves', 'refresh.with-scopes', 'introspection.inactive', 'fhir.resource-valid']) {
    expect(results.find((r) => r.checkId === id), id).toMatchObject({ outcome: 'pass' });
  }
});

test('Check this server from the page: progress, results by group with evidence, the reports and Inferno inputs downloaded, badges on the timeline and the diagram — no secret', async ({ page, context }) => {
  const seen = recordResponses(page);
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();

  // Passive: the token exchange is judged as it happens; BCDA's quirks are its documented deviations.
  const tokenRow = page.locator('[data-testid=timeline-row][data-kind=token]').first();
  await expect(tokenRow.getByTestId('exchange-conformance')).toHaveAttribute('data-outcome', 'known');
  await tokenRow.locator('summary').first().click();
  await expect(tokenRow.locator('[data-testid=exchange-check][data-check-id="backend.token-response-body"]')).toHaveAttribute('data-outcome', 'known');
  await expect(tokenRow.getByTestId('exchange-check').filter({ hasText: 'expires_in_string' })).toBeVisible();

  await page.getByTestId('check-server-open').click();
  await page.getByTestId('check-server-run').click();
  await expect(page.getByTestId('conformance-progress').or(page.getByTestId('conformance-summary'))).toBeVisible();
  const summary = page.getByTestId('conformance-summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(summary.locator('[data-outcome=fail]')).toHaveCount(0);
  const panel = page.getByTestId('conformance-panel');
  await expect(panel.locator('[data-testid=conformance-check][data-check-id="backend.invalid-grant-type"]')).toHaveAttribute('data-outcome', 'known');
  await expect(panel.locator('[data-testid=conformance-check][data-check-id="bulk.cancel-then-gone"]')).toHaveAttribute('data-outcome', 'pass');

  // Evidence opens the exchange in the timeline: the probe the server should have refused, named as such.
  await panel.locator('[data-testid=conformance-check][data-check-id="backend.invalid-grant-type"]').getByTestId('conformance-evidence').first().click();
  await expect(page.getByTestId('exchange-probe').filter({ hasText: 'unknown grant_type' })).toBeVisible();

  const save = async (testId: string) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
    const path = await download.path();
    return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
  };
  const md = await save('download-conformance-md');
  expect(md.name).toBe('conformance-bcda-builtin.md');
  expect(md.text).toContain('# Conformance checks: CMS BCDA');
  expect(md.text).toContain('Known deviation `expires_in_string`');
  const json = JSON.parse((await save('download-conformance-json')).text) as { version: number; checks: { id: string; outcome: string }[] };
  expect(json.version).toBe(1);
  expect(json.checks.find((c) => c.id === 'bulk.manifest')?.outcome).toBe('known');
  // Inferno's inputs dialog uploads a bare array of inputs (JSON tab), an auth_info value an object.
  const smartInputs = JSON.parse((await save('download-inferno-inputs')).text) as { name: string; type: string; value: unknown }[];
  expect(smartInputs.map((i) => i.name)).toEqual(['url', 'backend_services_smart_auth_info']);
  expect(smartInputs[1]).toMatchObject({ type: 'auth_info', value: { auth_type: 'backend_services', use_discovery: 'true' } });
  const bulkInputs = await save('download-inferno-bulk-inputs');
  expect(bulkInputs.name).toBe('inferno-inputs-bulk_data_v200-bcda-builtin.json');
  const bulkArray = JSON.parse(bulkInputs.text) as { name: string; value: unknown }[];
  expect(bulkArray.find((i) => i.name === 'bulk_server_url')?.value).toBe(`${new URL(page.url()).origin}/sandbox/bcda/api/v2`);
  expect(bulkArray.find((i) => i.name === 'group_id')?.value).toBe('all');

  // The diagram marks each answer with its checks.
  await page.getByTestId('show-sequence-diagram').click();
  await expect(page.locator('[data-testid=sequence-arrow][data-conformance=known]').first()).toBeVisible();

  const texts = [...(await browserVisibleText(page, context, seen)), md.text, bulkInputs.text, JSON.stringify(json), JSON.stringify(smartInputs)];
  for (const text of texts) {
    for (const secret of presetSecrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(FULL_JWT);
  }
});
