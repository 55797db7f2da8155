import { expect, test } from '../support/test';
import { choose } from '../support/console';
import { browserVisibleText, findTokenByFingerprint, FULL_JWT, presetSecrets, recordResponses, sessionFingerprints } from '../support/secrets';

test('SMART reference server: authorize with PKCE and aud, sign in, refresh with rotation, search Patient — no secret or token in the browser', async ({ page, context }) => {
  const seen = recordResponses(page);
  await choose(page, 'smart', 'confidential-app');
  await expect(page.getByTestId('sandbox-users')).toContainText('patient1');

  await page.getByTestId('authorize').click();
  await expect(page.getByLabel('Username')).toBeVisible();
  await expect(page.locator('body')).toContainText('patient/*.rs');
  await page.getByLabel('Username').fill('patient1');
  await page.getByLabel('Password').fill('smart-sandbox');
  await page.screenshot({ path: 'test-results/screenshots/smart-sign-in.png' });
  await page.getByRole('button', { name: 'Sign in and approve' }).click();

  await expect(page.getByTestId('token-panel')).toBeVisible();
  await expect(page.getByTestId('granted-scopes')).toContainText('patient/*.rs');
  await expect(page.getByTestId('token-countdown')).toHaveText(/^(59|60|1:00):\d\d/);

  await page.getByTestId('refresh-token').click();
  await expect(page.getByTestId('refresh-history')).toContainText(/rotated/i);

  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: 'Patient search', exact: true }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('searchset');
  await expect(page.getByTestId('fhir-response-body')).toContainText('smart-1');
  await page.screenshot({ path: 'test-results/screenshots/smart-token.png', fullPage: true });

  const texts = await browserVisibleText(page, context, seen);
  for (const text of texts) {
    for (const secret of presetSecrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(FULL_JWT);
  }
  expect(findTokenByFingerprint(texts, await sessionFingerprints(page))).toBeNull();
});

test('SMART reference server: denying at the sign-in page ends the run with access_denied', async ({ page }) => {
  await choose(page, 'smart', 'public-app');
  await page.getByTestId('authorize').click();
  await page.getByRole('button', { name: 'Deny' }).click();
  await expect(page.locator('body')).toContainText(/access_denied|declined/);
});
