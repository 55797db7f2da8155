import { type Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { choose } from '../support/console';
import { browserVisibleText, findTokenByFingerprint, presetSecrets, recordResponses, sessionFingerprints } from '../support/secrets';

async function signInAndConsent(page: Page, options: { shareDemographics: boolean }) {
  await page.getByTestId('authorize').click();
  await expect(page.getByLabel('Username')).toBeVisible();
  await page.getByLabel('Username').fill('BBUser00000');
  await page.getByLabel('Password').fill('PW00000!');
  await page.getByRole('button', { name: 'Log in' }).click();
  const share = page.getByLabel(/Share my demographic info/);
  await expect(share).toBeVisible();
  if (!options.shareDemographics) await share.uncheck();
  await page.screenshot({ path: 'test-results/screenshots/bluebutton-consent.png' });
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
}

test('Blue Button: authorize with PKCE, read the opaque token’s facts, page EOBs, refresh with rotation — no secret or token in the browser', async ({ page, context }) => {
  const seen = recordResponses(page);
  await choose(page, 'bluebutton', 'demo-demographic');
  await expect(page.getByTestId('sandbox-users')).toContainText('BBUser00000');
  await signInAndConsent(page, { shareDemographics: true });

  const panel = page.getByTestId('token-panel');
  await expect(panel).toContainText(/opaque/i);
  await expect(page.getByTestId('token-facts')).toContainText('-20140000000001');
  await expect(page.getByTestId('token-facts')).toContainText('access_grant_expiration');
  await expect(page.getByTestId('granted-scopes')).toContainText('patient/Patient.rs');
  await expect(page.getByTestId('token-countdown')).toHaveText(/^(59|60|1:00):\d\d/);

  // Opaque: ask the provider about it (RFC 7662).
  await page.getByTestId('introspect').click();
  await expect(page.getByTestId('introspection')).toContainText('active');
  await expect(page.getByTestId('introspection')).toContainText('-20140000000001');

  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: /ExplanationOfBenefit/ }).first().click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('searchset');
  await page.getByTestId('bundle-next').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('startIndex=10');

  await page.getByTestId('refresh-token').click();
  await expect(page.getByTestId('refresh-history')).toContainText(/rotated/i);
  await page.screenshot({ path: 'test-results/screenshots/bluebutton-token.png', fullPage: true });

  const texts = await browserVisibleText(page, context, seen);
  for (const text of texts) for (const secret of presetSecrets) expect(text).not.toContain(secret);
  expect(findTokenByFingerprint(texts, await sessionFingerprints(page))).toBeNull();
});

test('Blue Button: a beneficiary who refuses demographics gets no Patient scope, and Patient answers 403 while EOB works', async ({ page }) => {
  await choose(page, 'bluebutton', 'demo-demographic');
  await signInAndConsent(page, { shareDemographics: false });
  await expect(page.getByTestId('missing-scopes')).toContainText('patient/Patient.rs');

  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: 'Patient search', exact: true }).click();
  await page.getByTestId('fhir-send').click();
  await expect(fhir).toContainText('403');
  const diagnosis = fhir.getByTestId('diagnoses');
  await expect(diagnosis).toContainText('lacks a scope');
  await expect(diagnosis).toContainText('patient/Patient.rs');
  await fhir.getByRole('button', { name: /ExplanationOfBenefit/ }).first().click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('ExplanationOfBenefit');
});

test('Blue Button: a newer authorization of the same beneficiary ends the older token, and the older session says so instead of "Live"', async ({ page, browser }) => {
  await choose(page, 'bluebutton', 'demo-demographic');
  await signInAndConsent(page, { shareDemographics: true });

  // The same beneficiary authorizes the app again elsewhere, without demographics: Blue Button ends the earlier tokens.
  const other = await browser.newContext();
  try {
    const otherPage = await other.newPage();
    await choose(otherPage, 'bluebutton', 'demo-demographic');
    await signInAndConsent(otherPage, { shareDemographics: false });
  } finally {
    await other.close();
  }

  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: /ExplanationOfBenefit/ }).first().click();
  await page.getByTestId('fhir-send').click();
  await expect(fhir).toContainText('401');
  const panel = page.getByTestId('token-panel');
  await expect(panel.getByTestId('token-refused-badge')).toBeVisible();
  await expect(panel).not.toContainText('Live');
  const refused = panel.getByTestId('token-refused');
  await expect(refused).toContainText('The access token is invalid.');
  await expect(refused).toContainText('authorizes the app again');
  await expect(panel.locator('[data-event="refused"]')).toHaveCount(1);
  await expect(page.getByTestId('fhir-panel')).toContainText('refused the token before its expiry');
  await panel.screenshot({ path: 'test-results/screenshots/bluebutton-token-refused.png' });

  // Still so after a reload: the refusal is the server's record, not the page's memory.
  await page.reload();
  await expect(page.getByTestId('token-panel').getByTestId('token-refused-badge')).toBeVisible();
});
