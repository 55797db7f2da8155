import { readFile } from 'node:fs/promises';
import mermaid from 'mermaid';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { choose, setSimulatedFailure, signInAtBlueButton } from '../support/console';
import { browserVisibleText, FULL_JWT, presetSecrets, recordResponses } from '../support/secrets';

/** Clicks an export button and returns the downloaded file's name and text. */
async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const downloading = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const file = await downloading;
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

function expectNoSecret(text: string) {
  for (const secret of presetSecrets) expect(text).not.toContain(secret);
  expect(text).not.toMatch(FULL_JWT);
}

async function openDiagram(page: Page): Promise<Locator> {
  await page.getByTestId('show-sequence-diagram').click();
  const diagram = page.getByTestId('flow-diagram');
  await expect(diagram).toBeVisible();
  return diagram;
}

/** Every arrow as `tone description` in drawing order, the description read from its tooltip. */
/** Each arrow's tone and accessible name, without the conformance outcome its answer carries (asserted on its own). */
async function arrowNames(diagram: Locator): Promise<string[]> {
  return diagram.getByTestId('sequence-arrow').evaluateAll((arrows) =>
    arrows.map((a) => `${a.getAttribute('data-tone')} ${(a.querySelector('title')?.textContent ?? '').replace(/; conformance: [a-z ]+$/, '')}`),
  );
}

test('client credentials drawn live: the token request and its answer, its steps cited, a simulated 5xx in red, Mermaid and SVG exports with no secret', async ({ page, context }) => {
  const seen = recordResponses(page);
  await choose(page, 'bcda', 'extra-small');
  const diagram = await openDiagram(page);
  await expect(diagram).toContainText('No exchanges with this provider yet');

  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
  const arrows = diagram.getByTestId('sequence-arrow');
  // Issue #18: the answer carries its checks' outcome — BCDA's token answer deviates only as its provider file says.
  await expect(diagram.locator('[data-testid=sequence-arrow][data-conformance=known] title')).toContainText('; conformance: known deviation');
  await expect.poll(() => arrowNames(diagram)).toEqual(
    expect.arrayContaining([
      'ok Console server to Authorization server: POST /sandbox/bcda/auth/token (HTTP Basic)',
      expect.stringMatching(/^ok Authorization server to Console server: 200 OK \(\d+ ms\)$/),
    ]),
  );
  const tokenStep = diagram.getByTestId('diagram-step').filter({ hasText: 'client credentials' }).first();
  await expect(tokenStep).toContainText('RFC 6749 §4.4');
  await expect(tokenStep).toContainText('RFC 6749 §2.3.1');
  await expect(tokenStep).toContainText(/Quirk: .*expires_in/);

  // Live: an exchange no action of this page announced (another tab, a job's status poll) still arrives in the drawing.
  const sent = await page.evaluate(async () => {
    const response = await fetch('/api/fhir/bcda', {
      method: 'POST',
      headers: { 'x-console-request': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ environmentId: 'builtin', presetId: 'extra-small', method: 'GET', path: '/api/v2/metadata' }),
    });
    return response.status;
  });
  expect(sent).toBe(200);
  await expect(arrows.filter({ hasText: 'GET /sandbox/bcda/api/v2/metadata' })).toHaveCount(1, { timeout: 6_000 });

  // A click on the arrow opens its exchange, as the timeline shows it: redacted.
  await arrows.filter({ hasText: 'POST /sandbox/bcda/auth/token' }).first().click();
  const detail = diagram.getByTestId('diagram-exchange');
  await expect(detail).toContainText('Basic [redacted]');
  await expect(detail).toContainText('/sandbox/bcda/auth/token');

  // A simulated failure: the answer is drawn red and its step says why.
  await setSimulatedFailure(page, '5xx from the token endpoint', true);
  // With a failure simulated the console mints rather than reuses the live token.
  await page.getByTestId('get-token').click();
  await expect(diagram.locator('[data-testid="sequence-arrow"][data-tone="failed"]').first()).toBeVisible();
  await expect(diagram.locator('[data-testid="diagram-step"][data-tone="failed"]').first()).toContainText(/5\d\d|failed|error/i);
  await setSimulatedFailure(page, '5xx from the token endpoint', false);

  const mermaidFile = await download(page, 'diagram-save-mermaid');
  expect(mermaidFile.name).toMatch(/^health-oauth-console-\d{8}-\d{6}\.mmd$/);
  await expect(mermaid.parse(mermaidFile.text)).resolves.toMatchObject({ diagramType: 'sequence' });
  expect(mermaidFile.text).toContain('C->>A: 1. POST /sandbox/bcda/auth/token (HTTP Basic)');
  expect(mermaidFile.text).toMatch(/C->>A: \d+\. POST \/sandbox\/bcda\/auth\/token \(HTTP Basic\)\n {2}A--xC: 503 Service Unavailable/);
  expectNoSecret(mermaidFile.text);

  const svg = await download(page, 'diagram-save-svg');
  expect(svg.name).toMatch(/\.svg$/);
  expect(svg.text).toMatch(/^<\?xml[^>]*>\n<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svg.text).toContain('POST /sandbox/bcda/auth/token');
  expect(svg.text).not.toContain('class=');
  expectNoSecret(svg.text);

  // The support report and the HAR carry the same Mermaid text.
  const report = await download(page, 'export-report');
  expect(report.text).toContain('## Sequence diagrams');
  expect(report.text).toContain('```mermaid\nsequenceDiagram');
  const har = JSON.parse((await download(page, 'export-har')).text) as { log: { _sequenceDiagrams?: { providerId: string; mermaid: string }[] } };
  const harDiagram = har.log._sequenceDiagrams?.find((d) => d.providerId === 'bcda')?.mermaid ?? '';
  await expect(mermaid.parse(harDiagram)).resolves.toMatchObject({ diagramType: 'sequence' });

  for (const text of await browserVisibleText(page, context, seen)) expectNoSecret(text);
});

test('authorization code drawn with the browser’s legs: the login page, the callback, the code exchange, a FHIR call and a rotating refresh struck out', async ({ page }) => {
  await choose(page, 'bluebutton', 'demo-demographic');
  await openDiagram(page);
  await signInAtBlueButton(page);
  await expect(page.getByTestId('token-panel')).toBeVisible();

  // Still open after the round trip through the login page.
  const diagram = page.getByTestId('flow-diagram');
  await expect(diagram).toBeVisible();
  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: /ExplanationOfBenefit/ }).first().click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('searchset');
  await page.getByTestId('refresh-token').click();
  await expect(page.getByTestId('refresh-history')).toContainText(/rotated/i);

  await expect.poll(async () => (await arrowNames(diagram)).map((a) => a.replace(/\(\d+ ms\)/, '(ms)'))).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^ok Browser to Authorization server: GET \/sandbox\/bluebutton\/v2\/o\/authorize\/.* \(sent by the console\)$/),
      'ok Authorization server to Browser: 302 to the callback (code)',
      expect.stringMatching(/^ok Browser to Console server: GET \/api\/oauth\/bluebutton\/callback/),
      expect.stringMatching(/^ok Console server to Authorization server: POST \/sandbox\/bluebutton\/v2\/o\/token\/ \(HTTP Basic\)$/),
      expect.stringMatching(/^ok Console server to FHIR \/ API server: GET \/sandbox\/bluebutton\/v2\/fhir\/ExplanationOfBenefit/),
      expect.stringMatching(/^ok Authorization server to Console server: 200 OK \(ms\), refresh token hmac:[0-9a-f]+ retired$/),
    ]),
  );
  // In order: login before the code exchange, the exchange before the refresh.
  const names = await arrowNames(diagram);
  const index = (pattern: RegExp) => names.findIndex((n) => pattern.test(n));
  expect(index(/302 to the callback/)).toBeGreaterThan(index(/Browser to Authorization server/));
  expect(index(/retired$/)).toBeGreaterThan(index(/ExplanationOfBenefit/));
  await expect(diagram.getByTestId('sequence-note').filter({ hasText: 'Log in and consent' })).toHaveCount(1);
  await expect(diagram.getByTestId('sequence-retired')).toHaveCount(1);
  await expect(diagram.getByTestId('diagram-step').filter({ hasText: 'RFC 7636 §4.5' })).toHaveCount(1);
  await expect(diagram.getByTestId('diagram-step').filter({ hasText: 'RFC 9700 §4.14.2' })).toHaveCount(1);

  const mermaidFile = await download(page, 'diagram-save-mermaid');
  await expect(mermaid.parse(mermaidFile.text)).resolves.toMatchObject({ diagramType: 'sequence' });
  expect(mermaidFile.text).toMatch(/B->>A: 1\. GET \/sandbox\/bluebutton\/v2\/o\/authorize\//);
  expect(mermaidFile.text).not.toMatch(/code=(?!%5Bredacted)[A-Za-z0-9]/);
  expectNoSecret(mermaidFile.text);
});

test('a bulk export drawn from the kick-off through the status polls and the manifest to a download', async ({ page }) => {
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
  const diagram = await openDiagram(page);

  const bulk = page.getByTestId('bulk-export');
  const form = bulk.getByTestId('bulk-kickoff-form');
  await form.getByRole('radio', { name: 'Patient' }).check();
  await form.getByRole('checkbox', { name: 'Patient' }).check();
  await form.getByTestId('bulk-kickoff').click();
  await expect(bulk.getByTestId('bulk-job')).toHaveAttribute('data-phase', 'completed', { timeout: 30_000 });
  const file = bulk.getByTestId('bulk-file').first();
  await file.getByRole('button', { name: /^Download / }).click();
  await expect(file).toHaveAttribute('data-download', 'done', { timeout: 30_000 });

  const steps = diagram.getByTestId('diagram-step');
  await expect(steps.filter({ hasText: 'The console starts a bulk export' })).toHaveCount(1);
  await expect(steps.filter({ hasText: 'The export is done: the manifest lists the files' })).toHaveCount(1);
  await expect(steps.filter({ hasText: 'The console downloads an export file' })).toHaveCount(1);
  await expect(steps.filter({ hasText: 'Bulk Data IG 2.0, kick-off request' })).toHaveCount(1);
  // In the order of the Bulk Data IG: kick-off, status (202 while running), manifest, then the file.
  const categories = await steps.evaluateAll((items) => items.map((i) => i.getAttribute('data-category')));
  const bulkOnly = categories.filter((c) => c?.startsWith('bulk-'));
  expect(bulkOnly[0]).toBe('bulk-kickoff');
  expect(bulkOnly.indexOf('bulk-manifest')).toBeGreaterThan(0);
  expect(bulkOnly.at(-1)).toBe('bulk-download');
  expect(bulkOnly.slice(1, bulkOnly.indexOf('bulk-manifest')).every((c) => c === 'bulk-poll')).toBe(true);
  const names = await arrowNames(diagram);
  expect(names.some((n) => /^ok FHIR \/ API server to Console server: 202 Accepted/.test(n))).toBe(true);
  expect(names.some((n) => /GET \/sandbox\/bcda\/data\/\d+\/.+\.ndjson/.test(n)), names.join('\n')).toBe(true);
});
