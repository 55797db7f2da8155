import { type Locator, type Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { choose } from '../support/console';
import { browserVisibleText, findTokenByFingerprint, presetSecrets, recordResponses, sessionFingerprints } from '../support/secrets';

const PAGE_SIZE = 5;

async function signInToBlueButton(page: Page) {
  await page.getByTestId('authorize').click();
  await page.getByLabel('Username').fill('BBUser00000');
  await page.getByLabel('Password').fill('PW00000!');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByLabel(/Share my demographic info/)).toBeVisible();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
}

/**
 * The page's entries from the summary: `entries 6–10` → 5, starting at 6 (Blue Button's self link carries
 * `startIndex`; it leaves Bundle.total out, as the real API does).
 */
async function readEntries(summary: Locator): Promise<{ first: number; count: number }> {
  const text = (await summary.getByTestId('bundle-count').textContent()) ?? '';
  const match = /^entries (\d+)–(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`unexpected bundle count: ${text}`);
  return { first: Number(match[1]), count: Number(match[2]) - Number(match[1]) + 1 };
}
const readEntryCount = async (summary: Locator) => (await readEntries(summary)).count;

async function screenshot(page: Page, name: string, target?: Locator) {
  const path = `test-results/screenshots/workbench-${name}.png`;
  await (target ? target.screenshot({ path }) : page.screenshot({ path, fullPage: true }));
}

test('FHIR workbench on Blue Button: a paged EOB search, FHIRPath, history after a reload — no secret in the browser', async ({ page, context }) => {
  // One long story (sign-in, six requests, a reload): well over the default 60 s on a busy two-core machine.
  test.setTimeout(180_000);
  const seen = recordResponses(page);
  // The CapabilityStatement is asked for only after a 404 to a resource type, through the FHIR proxy.
  const metadataAsked: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/fhir/') && (request.postData() ?? '').includes('/metadata"')) metadataAsked.push(request.url());
  });
  await choose(page, 'bluebutton', 'demo-demographic');
  await signInToBlueButton(page);

  const fhir = page.getByTestId('fhir-panel');
  const path = fhir.getByLabel('Path', { exact: true });
  await expect(fhir.getByTestId('fhir-examples')).toContainText('Discovery');
  await fhir.getByRole('button', { name: 'ExplanationOfBenefit search', exact: true }).click();
  await expect(path).toHaveValue('/v2/fhir/ExplanationOfBenefit?_count=10');

  // The query-parameter rows and the path stay in step both ways.
  const countValue = fhir.getByLabel('Parameter 1 value');
  await expect(fhir.getByLabel('Parameter 1 name')).toHaveValue('_count');
  await countValue.fill(String(PAGE_SIZE));
  await expect(path).toHaveValue(`/v2/fhir/ExplanationOfBenefit?_count=${PAGE_SIZE}`);
  await fhir.getByTestId('query-param-add').click();
  await fhir.getByLabel('Parameter 2 name').fill('type');
  await fhir.getByLabel('Parameter 2 value').fill('carrier,pde');
  await expect(path).toHaveValue(`/v2/fhir/ExplanationOfBenefit?_count=${PAGE_SIZE}&type=carrier,pde`);
  await fhir.getByRole('button', { name: 'Remove parameter 2 (type)' }).click();
  await path.fill(`/v2/fhir/ExplanationOfBenefit?_count=${PAGE_SIZE}&startIndex=0`);
  await expect(fhir.getByLabel('Parameter 2 name')).toHaveValue('startIndex');
  await fhir.getByRole('button', { name: 'Remove parameter 2 (startIndex)' }).click();
  await expect(path).toHaveValue(`/v2/fhir/ExplanationOfBenefit?_count=${PAGE_SIZE}`);

  // First page.
  await page.getByTestId('fhir-send').click();
  const summary = fhir.getByTestId('bundle-summary');
  await expect(summary.getByTestId('bundle-count')).toHaveText(`entries 1–${PAGE_SIZE}`);
  await expect(summary.getByTestId('bundle-no-total')).toHaveText('no total reported');
  await expect(summary.getByTestId('bundle-resource-types')).toContainText(`ExplanationOfBenefit ${PAGE_SIZE}`);
  await expect(fhir.getByTestId('bundle-previous')).toBeDisabled();
  await expect(fhir.getByTestId('fhir-response-size')).toHaveText(/\d+(\.\d)? KB/);
  await screenshot(page, 'first-page', fhir);

  // Next, then Previous, through the BFF.
  await fhir.getByTestId('bundle-next').click();
  await expect(path).toHaveValue(/startIndex=5/);
  await expect(fhir.getByTestId('bundle-previous')).toBeEnabled();
  // Which entries, not only how many (issue #16 item 15).
  expect(await readEntries(summary)).toEqual({ first: PAGE_SIZE + 1, count: PAGE_SIZE });
  // The self link as Blue Button writes it: the slash form and the page's query, sorted.
  await expect(fhir.getByTestId('fhir-response-body')).toContainText(new RegExp(`ExplanationOfBenefit/\\?_count=${PAGE_SIZE}&[^"]*startIndex=${PAGE_SIZE}"`));
  await fhir.getByTestId('bundle-previous').click();
  await expect(path).toHaveValue(/startIndex=0/);
  await expect(fhir.getByTestId('bundle-previous')).toBeDisabled();
  expect(await readEntryCount(summary)).toBe(PAGE_SIZE);

  // The last page starts on a page boundary past the second page and holds what is left.
  await fhir.getByTestId('bundle-last').click();
  await expect(path).toHaveValue(/startIndex=[1-9]\d*/);
  await expect(fhir.getByTestId('bundle-previous')).toBeEnabled();
  await expect(fhir.getByTestId('bundle-next')).toBeDisabled();
  const lastStart = Number(/startIndex=(\d+)/.exec(await path.inputValue())?.[1]);
  expect(lastStart % PAGE_SIZE).toBe(0);
  expect(lastStart).toBeGreaterThanOrEqual(2 * PAGE_SIZE);
  const lastPageEntries = await readEntryCount(summary);
  expect(lastPageEntries).toBeGreaterThanOrEqual(1);
  expect(lastPageEntries).toBeLessThanOrEqual(PAGE_SIZE);
  await fhir.getByTestId('bundle-first').click();
  await expect(fhir.getByTestId('bundle-previous')).toBeDisabled();

  // FHIRPath over the response: a good expression, then a bad one and an unknown function.
  const fhirpath = fhir.getByTestId('fhirpath');
  const expression = fhirpath.getByLabel('FHIRPath');
  await expression.fill('entry.resource.ofType(ExplanationOfBenefit).count()');
  await expression.press('Enter');
  await expect(fhirpath.getByTestId('fhirpath-result')).toContainText('1 result');
  await expect(fhirpath.getByTestId('fhirpath-result')).toContainText(String(PAGE_SIZE));
  await expression.fill('entry.resource.where(');
  await fhirpath.getByTestId('fhirpath-evaluate').click();
  await expect(fhirpath.getByTestId('fhirpath-error')).toContainText('Syntax error at character 22: the expression ends too early.');
  await screenshot(page, 'fhirpath-error', fhirpath);
  await expression.fill('entry.frobnicate()');
  await expression.press('Enter');
  await expect(fhirpath.getByTestId('fhirpath-error')).toContainText('Unknown function frobnicate()');
  await fhirpath.getByRole('button', { name: 'entry.resource.resourceType' }).click();
  await expect(fhirpath.getByTestId('fhirpath-result')).toContainText(`${PAGE_SIZE} results`);

  // Raw view with copy.
  await fhir.getByTestId('fhir-body-view-raw').click();
  await expect(fhir.getByTestId('fhir-response-body')).toContainText('"resourceType": "Bundle"');
  await expect(fhir.getByRole('button', { name: 'Copy JSON' })).toBeVisible();
  await screenshot(page, 'response', fhir);

  // History is the session's: it survives a reload; Edit loads, Re-run sends again.
  await page.reload();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  await fhir.getByTestId('fhir-tab-history').click();
  const history = fhir.getByTestId('fhir-history');
  await expect(history.getByTestId('fhir-history-entry')).toHaveCount(5);
  await screenshot(page, 'history', fhir);
  const typed = `GET /v2/fhir/ExplanationOfBenefit?_count=${PAGE_SIZE}`;
  await history.getByRole('button', { name: `Edit ${typed}`, exact: true }).click();
  await expect(path).toHaveValue(`/v2/fhir/ExplanationOfBenefit?_count=${PAGE_SIZE}`);
  await path.fill('/v2/fhir/Coverage');
  await history.getByRole('button', { name: `Re-run ${typed}`, exact: true }).click();
  await expect(path).toHaveValue(`/v2/fhir/ExplanationOfBenefit?_count=${PAGE_SIZE}`);
  expect(await readEntryCount(summary)).toBe(PAGE_SIZE);
  await expect(history.getByTestId('fhir-history-entry').first()).toContainText(`/v2/fhir/ExplanationOfBenefit?_count=${PAGE_SIZE}`);
  await expect(fhir.getByTestId('fhir-tab-history')).toContainText('6');

  // A typo in the resource type: the server's CapabilityStatement, read through the BFF only now, names the one
  // meant, and one click rewrites the path with its query (issue #16 item 15).
  expect(metadataAsked).toEqual([]);
  await path.fill('/v2/fhir/Patinet?_count=1');
  await page.getByTestId('fhir-send').click();
  const typeHint = fhir.getByTestId('resource-type-hint');
  await expect(typeHint).toContainText('The server has no Patinet resource type. Did you mean Patient?');
  expect(metadataAsked).toHaveLength(1);
  await screenshot(page, 'resource-type-hint', typeHint);
  await typeHint.getByRole('button', { name: 'Use /v2/fhir/Patient?_count=1', exact: true }).click();
  await expect(path).toHaveValue('/v2/fhir/Patient?_count=1');
  await page.getByTestId('fhir-send').click();
  await expect(summary.getByTestId('bundle-resource-types')).toContainText('Patient 1');
  await expect(fhir.getByTestId('fhir-response').locator('span').first()).toHaveText(/^200(?!\d)/);
  await expect(typeHint).toHaveCount(0);
  expect(metadataAsked).toHaveLength(1);

  // Narrower screens keep the workbench usable.
  await page.setViewportSize({ width: 1024, height: 900 });
  await screenshot(page, '1024', fhir);

  const texts = await browserVisibleText(page, context, seen);
  for (const text of texts) for (const secret of presetSecrets) expect(text).not.toContain(secret);
  expect(findTokenByFingerprint(texts, await sessionFingerprints(page))).toBeNull();
});

test('A hand-typed $export on BCDA: the kick-off headers explained, the form prefilled, "Add the header" → 202', async ({ page }) => {
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();

  const fhir = page.getByTestId('fhir-panel');
  const path = fhir.getByLabel('Path', { exact: true });
  const headers = fhir.getByLabel('Request headers');
  await expect(headers).toHaveValue('Accept: application/fhir+json');
  await path.fill('/api/v2/Group/runout/$export?_type=Coverage');
  // Said before anything is sent (BCDA would answer 400 "Prefer header is required").
  const help = fhir.getByTestId('kickoff-headers-help');
  await expect(help).toContainText('Bulk Data kick-off requires Prefer: respond-async and Accept: application/fhir+json.');
  await expect(help).toContainText('This request has no Prefer header, so the server will refuse it.');
  await screenshot(page, 'kickoff-help', help);

  // The form instead, prefilled from the path.
  await help.getByRole('button', { name: 'Use the Bulk export form' }).click();
  const form = page.getByTestId('bulk-kickoff-form');
  await expect(form.getByLabel('Group', { exact: true })).toBeChecked();
  await expect(form.getByLabel('Group id')).toHaveValue('runout');
  await expect(page.getByTestId('bulk-kickoff-request')).toContainText('/api/v2/Group/runout/$export?_type=Coverage');

  // Or the header added here, and the kick-off accepted.
  await help.getByRole('button', { name: 'Add the header', exact: true }).click();
  await expect(headers).toHaveValue('Accept: application/fhir+json\nPrefer: respond-async');
  await expect(headers).toBeFocused();
  await expect(help).toHaveCount(0);
  await page.getByTestId('fhir-send').click();
  await expect(fhir.getByTestId('fhir-response').locator('span').first()).toHaveText(/^202(?!\d)/);
  await expect(fhir).toContainText('Export started: the job is followed under Bulk export.');
});
