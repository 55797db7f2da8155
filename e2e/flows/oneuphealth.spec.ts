import { expect, test } from '../support/test';
import { choose } from '../support/console';
import { browserVisibleText, findTokenByFingerprint, FULL_JWT, presetSecrets, recordResponses, sessionFingerprints } from '../support/secrets';

test('1upHealth Provider Access: Keycloak client credentials with the seed’s scope, a FHIR search and a bulk export', async ({ page, context }) => {
  const seen = recordResponses(page);
  await choose(page, '1uphealth', 'provider-access');
  await page.getByTestId('get-token').click();
  const claims = page.getByTestId('claims-table');
  await expect(claims).toContainText('service-account-');
  await expect(claims).toContainText('bulk-data|user/*.rs');
  await expect(page.getByTestId('token-panel')).toContainText(/verified/i);

  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: 'Patient search', exact: true }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('searchset');

  await fhir.getByRole('button', { name: /System \$export/ }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('bulk-file').first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('bulk-file').first().getByRole('button', { name: /preview/i }).click();
  await expect(page.getByTestId('ndjson-preview')).toContainText('resourceType');
  await page.screenshot({ path: 'test-results/screenshots/oneuphealth-provider-access.png', fullPage: true });

  for (const text of await browserVisibleText(page, context, seen)) {
    for (const secret of presetSecrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(FULL_JWT);
  }
});

test('1upHealth Patient Access: the demo health plan’s login and consent, then the member’s own records', async ({ page, context }) => {
  const seen = recordResponses(page);
  await choose(page, '1uphealth', 'patient-access');
  await page.getByTestId('authorize').click();
  await page.getByLabel('Member ID').fill('08-testmemid');
  await page.getByLabel('Password').fill('Argonaut1986!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  // The OpenID Connect ID token, decoded and verified on the server; the raw token never reaches the page.
  const idToken = page.getByTestId('id-token');
  await expect(idToken).toContainText(/verified/i);
  await expect(idToken).toContainText('sub');

  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: 'Patient Access: my Patient record' }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('Argonaut');

  const texts = await browserVisibleText(page, context, seen);
  for (const text of texts) {
    for (const secret of presetSecrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(FULL_JWT);
  }
  expect(findTokenByFingerprint(texts, await sessionFingerprints(page))).toBeNull();
});

test('1upHealth: each credential set is offered only the examples it can send; the others name their set and switch to it in one click', async ({ page }) => {
  await choose(page, '1uphealth', 'provider-access');
  const fhir = page.getByTestId('fhir-panel');
  const offered = fhir.getByTestId('fhir-examples').locator('[data-testid^="fhir-preset-"]');
  const elsewhere = fhir.getByTestId('fhir-examples-elsewhere');
  await expect(elsewhere).toContainText('needs Patient Access');
  await expect(offered.filter({ hasText: 'Patient Access' })).toHaveCount(0);

  // Every example offered goes out (no token yet, so the server may say 401, but the console never refuses the path).
  const count = await offered.count();
  expect(count).toBeGreaterThan(3);
  for (let i = 0; i < count; i++) {
    await offered.nth(i).click();
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/fhir/1uphealth') && r.request().method() === 'POST');
    await page.getByTestId('fhir-send').click();
    const answer = await answered;
    expect(((await answer.json()) as { error?: { code: string } }).error?.code).not.toBe('path_not_allowed');
  }

  // One click: the credential set switches and the example is loaded.
  await expect(elsewhere).toContainText('Each needs Patient Access — demo health plan');
  await elsewhere.getByRole('button').first().click();
  await expect(page.getByLabel('Credential set')).toHaveValue('patient-access');
  await expect(page.locator('#fhir-path')).toHaveValue(/^\/r4\//);
  await expect(fhir.getByTestId('fhir-examples-elsewhere')).toContainText('needs Provider Access');
});
