import { expect, test } from '../support/test';
import { choose, setSimulatedFailure, signInAtHealthSherpa } from '../support/console';
import { browserVisibleText, findTokenByFingerprint, presetSecrets, recordResponses, sessionFingerprints } from '../support/secrets';

test('HealthSherpa: agent login and consent, create a contact, refresh twice with rotation — no secret or token in the browser', async ({ page, context }) => {
  const seen = recordResponses(page);
  await choose(page, 'healthsherpa', 'demo-partner-app');
  await signInAtHealthSherpa(page);
  await page.getByRole('button', { name: 'Authorize' }).click();

  await expect(page.getByTestId('token-panel')).toBeVisible();
  // Back from the login, the page shows the token, not its own top.
  await expect(page.getByTestId('token-result')).toBeFocused();
  await expect(page.getByTestId('token-status-bar').getByTestId('token-status')).toHaveText('Live');
  await expect(page.getByTestId('granted-scopes')).toContainText('partner_api_v2');

  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: /Create contact/ }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('CRM123');
  await expect(fhir).toContainText('201');

  await page.getByTestId('refresh-token').click();
  await expect(page.getByTestId('refresh-history').getByText(/rotated/i)).toHaveCount(1);
  await page.getByTestId('refresh-token').click();
  await expect(page.getByTestId('refresh-history').getByText(/rotated/i)).toHaveCount(2);
  await page.screenshot({ path: 'test-results/screenshots/healthsherpa-token.png', fullPage: true });

  const texts = await browserVisibleText(page, context, seen);
  for (const text of texts) for (const secret of presetSecrets) expect(text).not.toContain(secret);
  expect(findTokenByFingerprint(texts, await sessionFingerprints(page))).toBeNull();
});

test('HealthSherpa: denying consent comes back explained, and the explanation stays until dismissed', async ({ page, context }) => {
  await choose(page, 'healthsherpa', 'demo-partner-app');
  await signInAtHealthSherpa(page);
  await page.getByRole('button', { name: 'Deny' }).click();
  const error = page.getByTestId('flow-error');
  await expect(error).toContainText('access_denied');
  await expect(error).toContainText(/declined/);
  await expect(error).toBeFocused();
  await expect(error).toBeInViewport();

  // Reading the session does not consume it: a second tab and a reload both still explain it.
  const second = await context.newPage();
  await second.goto('/?provider=healthsherpa');
  await expect(second.getByTestId('flow-error')).toContainText('access_denied');
  await second.close();
  await page.reload();
  await expect(error).toContainText('access_denied');
  // A plain reload is not a return from the provider: focus stays where the page starts.
  await expect(error).not.toBeFocused();

  await error.getByRole('button', { name: 'Dismiss' }).click();
  await expect(error).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('authorize')).toBeVisible();
  await expect(error).toHaveCount(0);
});

test('HealthSherpa: a replayed callback is refused as a state mismatch', async ({ page }) => {
  await choose(page, 'healthsherpa', 'demo-partner-app');
  await signInAtHealthSherpa(page);
  const callback = page.waitForRequest((r) => r.url().includes('/api/oauth/healthsherpa/callback'));
  await page.getByRole('button', { name: 'Authorize' }).click();
  const callbackUrl = (await callback).url();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  await page.goto(callbackUrl);
  await expect(page.getByTestId('flow-error')).toContainText(/state/i);
});

test('HealthSherpa: a revoked refresh token (simulated) ends the token, and its lifecycle closes with "revoked"', async ({ page }) => {
  await choose(page, 'healthsherpa', 'demo-partner-app');
  await signInAtHealthSherpa(page);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  await page.getByTestId('refresh-token').click();
  await expect(page.getByTestId('refresh-history').getByText(/rotated/i)).toHaveCount(1);

  await setSimulatedFailure(page, 'Revoked refresh token', true);
  await page.getByTestId('refresh-token').click();
  const ended = page.getByTestId('ended-token');
  await expect(ended.locator('[data-event="revoked"]')).toBeVisible();
  await expect(ended.locator('[data-event="rotated"]')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/screenshots/healthsherpa-revoked.png', fullPage: true });
});
