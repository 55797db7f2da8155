import { expect, test } from '../support/test';
import { choose } from '../support/console';
import { browserVisibleText, FULL_JWT, presetSecrets, recordResponses } from '../support/secrets';

test('Candid: a form-body token, its Auth0-like claims, a first API answer, then reuse instead of a new mint', async ({ page, context }) => {
  const seen = recordResponses(page);
  await choose(page, 'candid', 'demo-billing');
  await page.getByLabel('Form', { exact: true }).check();
  await page.getByTestId('get-token').click();

  await expect(page.getByTestId('claims-table')).toContainText('@clients');
  await expect(page.getByTestId('token-countdown')).toHaveText(/^(4:59|5:00):\d\d/);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText('/api/auth/v2/token');

  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: /encounters/i }).first().click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('items');

  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-reused')).toContainText(/reuse/i);
  await page.screenshot({ path: 'test-results/screenshots/candid-token.png', fullPage: true });

  for (const text of await browserVisibleText(page, context, seen)) {
    for (const secret of presetSecrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(FULL_JWT);
  }
});
