import { type Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { readFile } from 'node:fs/promises';
import { choose, setSimulatedFailure } from '../support/console';
import { browserVisibleText, FULL_JWT, presetSecrets, recordResponses, sessionFingerprints } from '../support/secrets';

async function getBcdaToken(page: Page, presetId: string) {
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption(presetId);
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
}

test('BCDA bulk export from the form: kick-off → progress → manifest → download through the BFF → preview → Save → cancel another job', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const seen = recordResponses(page);
  const consoleMessages: string[] = [];
  page.on('console', (m) => consoleMessages.push(m.text()));
  await page.goto('/');
  await getBcdaToken(page, 'extra-small');

  const bulk = page.getByTestId('bulk-export');
  const form = bulk.getByTestId('bulk-kickoff-form');
  await expect(form).toBeVisible();

  // The form shows the exact request before it goes out.
  await form.getByRole('radio', { name: 'Patient' }).check();
  await form.getByRole('checkbox', { name: 'Patient' }).check();
  await form.getByRole('checkbox', { name: 'Coverage' }).check();
  const request = form.getByTestId('bulk-kickoff-request');
  await expect(request).toContainText('/sandbox/bcda/api/v2/Patient/$export?_type=Patient,Coverage');
  await expect(request).toContainText('Accept: application/fhir+json');
  await expect(request).toContainText('Prefer: respond-async');
  await form.getByLabel(/_since/).fill('2020-01-01T00:00:00');
  await expect(request).toContainText(/_since=20(19-12-31|20-01-01)T\d\d:00:00Z/);
  await form.getByLabel(/_since/).fill('');
  await expect(request).not.toContainText('_since');
  await page.screenshot({ path: 'test-results/screenshots/bulk-kickoff-form.png', fullPage: true });

  await form.getByTestId('bulk-kickoff').click();
  const job = bulk.getByTestId('bulk-job');
  await expect(job).toBeVisible();
  await expect(bulk.getByTestId('bulk-progress')).toBeVisible();
  await bulk.screenshot({ path: 'test-results/screenshots/bulk-card-running.png' });
  await expect(job).toHaveAttribute('data-phase', 'completed', { timeout: 30_000 });

  // Manifest: one file per requested type, requiresAccessToken explained, Expires shown.
  const files = bulk.getByTestId('bulk-file');
  await expect(files).toHaveCount(2);
  await expect(bulk.getByTestId('bulk-requires-token')).toContainText('true');
  await expect(bulk.getByTestId('bulk-requires-token')).toContainText('never reaches this page');
  await expect(bulk).toContainText('not an HTTP-date');

  // A job outlives its token: mint a new token for the same credential set, then download with it.
  const before = await sessionFingerprints(page);
  await page.getByTestId('get-token').click();
  await page.getByTestId('mint-new-token').click();
  await expect.poll(async () => JSON.stringify(await sessionFingerprints(page))).not.toBe(JSON.stringify(before));

  const patientFile = files.filter({ hasText: 'Patient' }).first();
  const fileUrl = (await patientFile.locator('[title*="/data/"]').first().getAttribute('title')) ?? '';
  expect(fileUrl).toMatch(/\/sandbox\/bcda\/data\/\d+\/.+\.ndjson$/);
  await patientFile.getByRole('button', { name: /^Download / }).click();
  await expect(patientFile).toHaveAttribute('data-download', 'done', { timeout: 30_000 });

  const stats = patientFile.getByTestId('bulk-download-stats');
  const bytes = Number(await stats.getAttribute('data-bytes'));
  const resources = Number(await stats.getAttribute('data-resources'));
  expect(bytes).toBeGreaterThan(0);
  expect(resources).toBe(50); // the extra-small model entity's 50 enrollees, one Patient each
  await expect(stats).toContainText('50 resources');

  // The same file fetched again through the BFF: the page's counts match its bytes and lines.
  const path = new URL(fileUrl).pathname.replace(/^\/sandbox\/bcda/, '');
  const direct = await page.evaluate(async (filePath) => {
    const response = await fetch('/api/fhir/bcda/download', {
      method: 'POST',
      headers: { 'x-console-request': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ environmentId: 'builtin', presetId: 'extra-small', path: filePath }),
    });
    return { kind: response.headers.get('x-console-download'), text: await response.text() };
  }, path);
  expect(direct.kind).toBe('stream');
  const body = Buffer.from(direct.text, 'utf8');
  expect(body.byteLength).toBe(bytes);
  const lines = body.toString('utf8').split('\n').filter((line) => line.trim() !== '');
  expect(lines).toHaveLength(resources);

  // The preview: the first lines, parsed.
  const preview = patientFile.getByTestId('ndjson-preview');
  await expect(preview).toContainText('20 lines shown of 50');
  await expect(preview).toContainText('Patient');
  const firstId = (JSON.parse(lines[0] ?? '{}') as { id?: string }).id ?? '';
  expect(firstId).not.toBe('');
  await expect(preview).toContainText(firstId);
  await page.screenshot({ path: 'test-results/screenshots/bulk-download.png', fullPage: true });
  await bulk.screenshot({ path: 'test-results/screenshots/bulk-card-download.png' });

  // Save hands the kept bytes to the browser as a file.
  const [saved] = await Promise.all([page.waitForEvent('download'), patientFile.getByRole('button', { name: /^Save / }).click()]);
  expect(saved.suggestedFilename()).toMatch(/\.ndjson$/);
  const savedPath = await saved.path();
  expect((await readFile(savedPath)).byteLength).toBe(bytes);

  // Another job, cancelled while it runs: DELETE answers 202 and polling stops. The 30,000-enrollee model
  // entity's export runs longest in the sandbox (3 s), time enough to cancel it.
  await getBcdaToken(page, 'extra-large');
  await bulk.getByText('New export').click();
  await expect(form).toBeVisible();
  await form.getByTestId('bulk-kickoff').click();
  const cancel = bulk.getByTestId('bulk-cancel');
  await expect(job).toHaveAttribute('data-phase', /polling|cancelling/);
  await cancel.click();
  await expect(job).toHaveAttribute('data-phase', 'cancelled');
  await expect(bulk.getByTestId('bulk-cancelled')).toContainText('202');
  await expect(bulk.getByTestId('bulk-file')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/bulk-cancelled.png', fullPage: true });
  await bulk.screenshot({ path: 'test-results/screenshots/bulk-card-cancelled.png' });

  // Nothing the browser saw or holds (the streamed files included) carries a secret or a whole token.
  const texts = await browserVisibleText(page, context, seen);
  expect(seen.responses.some((r) => r.url.endsWith('/api/fhir/bcda/download'))).toBe(true);
  for (const text of texts) {
    for (const secret of presetSecrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(FULL_JWT);
  }
  for (const message of consoleMessages) expect(message).not.toMatch(FULL_JWT);
});

test('a kick-off the provider refuses is explained, and nothing starts', async ({ page }) => {
  await page.goto('/');
  await getBcdaToken(page, 'extra-small');
  const form = page.getByTestId('bulk-kickoff-form');
  // Claim needs a partially adjudicated (REACH) model entity: BCDA answers 400 with an OperationOutcome.
  await form.getByRole('checkbox', { name: 'Claim', exact: true }).check();
  await form.getByTestId('bulk-kickoff').click();
  const answer = form.getByTestId('bulk-kickoff-answer');
  await expect(answer).toContainText('400');
  await expect(answer).toContainText('unauthorized resource type Claim');
  await expect(page.getByTestId('bulk-job')).toHaveCount(0);

  // A _since in the future is refused before anything is sent.
  await form.getByRole('checkbox', { name: 'Claim', exact: true }).uncheck();
  await form.getByLabel(/_since/).fill('2999-01-01T00:00:00');
  await form.getByTestId('bulk-kickoff').click();
  await expect(form).toContainText('_since must be in the past.');
  await page.screenshot({ path: 'test-results/screenshots/bulk-refused.png', fullPage: true });
});

test('a file that answers 401 gets one new token and one retry; after that the console waits for the user', async ({ page }) => {
  await page.goto('/');
  await getBcdaToken(page, 'extra-small');
  const bulk = page.getByTestId('bulk-export');
  const form = bulk.getByTestId('bulk-kickoff-form');
  await form.getByRole('checkbox', { name: 'Patient' }).check();
  await form.getByTestId('bulk-kickoff').click();
  await expect(bulk.getByTestId('bulk-job')).toHaveAttribute('data-phase', 'completed', { timeout: 30_000 });
  const before = await sessionFingerprints(page);

  // Every API call now answers BCDA's 401 "Expired Token": the renewal mints a new token, the retry is refused too.
  await setSimulatedFailure(page, 'Expired token', true);
  const file = bulk.getByTestId('bulk-file').first();
  await file.getByRole('button', { name: /^Download / }).click();
  await expect(file).toHaveAttribute('data-download', 'token-expired', { timeout: 30_000 });
  await expect(file).toContainText('401');
  await expect(file).toContainText('still answered 401 with a new token');
  await expect(file).toContainText('Expired Token');
  expect(JSON.stringify(await sessionFingerprints(page))).not.toBe(JSON.stringify(before));
  await bulk.screenshot({ path: 'test-results/screenshots/bulk-card-token-expired.png' });

  // With the failure off, the same job's file downloads on the new token.
  await setSimulatedFailure(page, 'Expired token', false);
  await file.getByRole('button', { name: /^Download again / }).click();
  await expect(file).toHaveAttribute('data-download', 'done', { timeout: 30_000 });
  await expect(file.getByTestId('bulk-download-stats')).toHaveAttribute('data-resources', '50');
});

test('status polling backs off on 429 and retries a 503, saying so, and the job still completes', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  // The 30,000-enrollee set's job runs a few seconds: long enough to poll into the simulated failures.
  await getBcdaToken(page, 'extra-large');
  const bulk = page.getByTestId('bulk-export');
  const form = bulk.getByTestId('bulk-kickoff-form');
  await form.getByRole('checkbox', { name: 'Patient' }).check();
  await form.getByTestId('bulk-kickoff').click();
  const job = bulk.getByTestId('bulk-job');
  await expect(job).toBeVisible();

  await setSimulatedFailure(page, '429 from the API', true);
  const note = bulk.getByTestId('bulk-job-note');
  await expect(note).toContainText('Rate limited (429)');
  await expect(note).toContainText('Retry-After: 2');
  await setSimulatedFailure(page, '429 from the API', false);

  await setSimulatedFailure(page, '503 from the API', true);
  await expect(note).toContainText('Server error 503');
  await expect(note).toContainText('temporarily unavailable');
  await bulk.screenshot({ path: 'test-results/screenshots/bulk-card-retrying.png' });
  await setSimulatedFailure(page, '503 from the API', false);

  await expect(job).toHaveAttribute('data-phase', 'completed', { timeout: 30_000 });
  await expect(bulk.getByTestId('bulk-file')).toHaveCount(1);
});

test('1upHealth: a Group export from the form, no cancel offered, a file counted against the manifest’s count', async ({ page }) => {
  await choose(page, '1uphealth', 'provider-access');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();

  const bulk = page.getByTestId('bulk-export');
  const form = bulk.getByTestId('bulk-kickoff-form');
  await expect(form.getByRole('radio', { name: 'Patient' })).toHaveCount(0);
  await form.getByRole('radio', { name: 'Group' }).check();
  await form.getByLabel('Group id').selectOption('bison-provider-attributed');
  await form.getByRole('checkbox', { name: 'Encounter' }).check();
  await expect(form.getByTestId('bulk-kickoff-request')).toContainText(
    '/v1/bison/bulk-export/bulk-data/r4/Group/bison-provider-attributed/$export?_type=Encounter',
  );
  await form.getByTestId('bulk-kickoff').click();

  const job = bulk.getByTestId('bulk-job');
  await expect(job).toContainText('a started export cannot be cancelled');
  await expect(bulk.getByTestId('bulk-cancel')).toHaveCount(0);
  await expect(job).toHaveAttribute('data-phase', 'completed', { timeout: 30_000 });

  const file = bulk.getByTestId('bulk-file').first();
  const count = Number(((await file.textContent()) ?? '').match(/([\d,]+) resources/)?.[1]?.replace(/,/g, ''));
  expect(count).toBeGreaterThan(0);
  await file.getByRole('button', { name: /^Download / }).click();
  await expect(file).toHaveAttribute('data-download', 'done', { timeout: 30_000 });
  await expect(file.getByTestId('bulk-download-stats')).toHaveAttribute('data-resources', String(count));
  await expect(file.getByTestId('ndjson-preview')).toContainText('Encounter');
  await bulk.screenshot({ path: 'test-results/screenshots/bulk-card-1uphealth.png' });
});
