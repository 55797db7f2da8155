import { readFile } from 'node:fs/promises';
import { type Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { bcda } from '../../lib/providers/bcda';

const FULL_JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/;
const bcdaSecrets = bcda.presets.map((p) => p.clientSecret);

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** Clicks an export button and returns the downloaded file's name and text. */
async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const downloading = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const file = await downloading;
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

function expectNoSecret(text: string) {
  for (const secret of bcdaSecrets) expect(text).not.toContain(secret);
  expect(text).not.toMatch(FULL_JWT);
}

test('BCDA timeline: copy as curl, export HAR and a support report, with no secret in any of them', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();

  const timeline = page.getByTestId('timeline');
  const tokenRow = timeline.locator('[data-testid="timeline-row"][data-kind="token"]').first();
  await expect(tokenRow).toBeVisible();
  await tokenRow.locator('summary').first().click();
  // The response's body comes first; its headers wait, folded, below it (issue #16).
  const responseHeaders = tokenRow.locator('details', { hasText: /^Response headers \(\d+\)/ });
  await expect(responseHeaders).toHaveCount(1);
  await expect(responseHeaders).not.toHaveAttribute('open', /.*/);
  await tokenRow.getByTestId('copy-curl').click();

  const curlText = tokenRow.getByTestId('curl-text');
  await expect(curlText).toContainText('--user "$CLIENT_ID:$CLIENT_SECRET"');
  await expect(curlText).toContainText('/sandbox/bcda/auth/token');
  const curl = (await curlText.textContent()) ?? '';
  expect(curl).toMatch(/^# token exchange at \d{4}-\d\d-\d\dT[\d:.]+Z; set CLIENT_ID, CLIENT_SECRET first\ncurl -X POST '/);
  expect(curl).not.toContain('redacted');
  expectNoSecret(curl);
  // The clipboard holds the same command.
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(curl);

  const har = await download(page, 'export-har');
  expect(har.name).toMatch(/^health-oauth-console-\d{8}-\d{6}\.har$/);
  const log = (JSON.parse(har.text) as { log: { version: string; entries: { request: { url: string } }[] } }).log;
  expect(log.version).toBe('1.2');
  // The token exchange at least; the JWKS fetch only when this server had no cached keys yet.
  expect(log.entries.length).toBeGreaterThanOrEqual(1);
  expect(log.entries.some((e) => e.request.url.endsWith('/sandbox/bcda/auth/token'))).toBe(true);
  expect(har.text).toContain('Basic [redacted]');
  expectNoSecret(har.text);

  const report = await download(page, 'export-report');
  expect(report.name).toMatch(/^health-oauth-console-\d{8}-\d{6}\.md$/);
  expect(report.text).toContain('## CMS BCDA');
  expect(report.text).toContain('## Exchanges');
  expect(report.text).toContain('| expires_in as sent | `"1200"` (string) |');
  expect(report.text).toContain('Secrets are redacted by the console');
  expectNoSecret(report.text);
});
