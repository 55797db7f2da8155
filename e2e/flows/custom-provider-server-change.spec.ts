import { expect, test } from '@playwright/test';
import { smart } from '../../lib/providers/smart';
import { browserVisibleText, recordResponses } from '../support/secrets';

const shot = (name: string) => ({ path: `test-results/screens/custom-provider-server-change-${name}.png`, fullPage: true });
const confidentialApp = smart.presets.find((preset) => preset.id === 'confidential-app');

test('SECURITY 15: editing a saved provider to point at another server asks for the secret again, says why, and saves nothing without it', async ({ page, context }) => {
  expect(confidentialApp?.clientSecret).toBeTruthy();
  const seen = recordResponses(page);
  await page.goto('/');
  await page.getByRole('button', { name: '+ Add a provider by URL' }).click();
  const panel = page.getByTestId('add-provider-panel');
  await panel.getByRole('button', { name: 'Built-in SMART sandbox' }).click();

  // An app client of the built-in SMART server with its secret, saved.
  const form = panel.getByTestId('provider-config-form');
  await form.getByLabel('Provider name').fill('Secret-bound app');
  await form.getByLabel('Client authentication').selectOption('client_secret_basic');
  await form.getByLabel('Client ID', { exact: true }).fill(confidentialApp?.clientId ?? '');
  await form.getByLabel('Client secret').fill(confidentialApp?.clientSecret ?? '');
  await form.getByTestId('save-provider').click();
  await expect(panel.getByTestId('provider-saved')).toBeVisible();
  const saved = panel.getByTestId('saved-provider').filter({ hasText: 'Secret-bound app' });
  await expect(saved).toContainText('secret saved');

  // Editing the FHIR base URL to another server: the secret field is marked as needed again, with the reason.
  await saved.getByRole('button', { name: 'Edit' }).click();
  const edit = panel.getByTestId('provider-config-form');
  const secretField = edit.getByTestId('smart-client-secret');
  await expect(edit.getByText('Client secret', { exact: true })).toBeVisible();
  await expect(secretField).toHaveAttribute('placeholder', 'saved — leave empty to keep');
  await edit.getByLabel('FHIR base URL (optional)').fill('http://127.0.0.1:9/fhir');
  await expect(edit.getByText('Client secret — needed again')).toBeVisible();
  await expect(secretField).toHaveAttribute('aria-invalid', 'true');
  await expect(edit.locator('#smart-client-secret-error')).toContainText('this server is http://127.0.0.1:9 (FHIR base URL)');
  await expect(edit.locator('#smart-client-secret-error')).toContainText('A saved secret goes only to the server it was entered for');
  await expect(edit.locator('#smart-fhir-base-hint')).toContainText('enter the client secret again');
  await edit.scrollIntoViewIfNeeded();
  await page.screenshot(shot('1-secret-needed'));

  // Saving without the secret is refused by the server, which says why; nothing changed.
  await edit.getByTestId('save-provider').click();
  await expect(edit.getByText('Could not save the provider')).toBeVisible();
  await expect(edit).toContainText('Enter the client secret again to use it with this server.');
  await page.screenshot(shot('2-refused'));

  // Back on the saved server's URLs, the saved secret is kept again.
  await edit.getByLabel('FHIR base URL (optional)').fill('');
  await expect(edit.getByText('Client secret', { exact: true })).toBeVisible();
  await expect(edit.locator('#smart-client-secret-error')).toHaveCount(0);

  const texts = await browserVisibleText(page, context, seen);
  for (const text of texts) expect(text).not.toContain(confidentialApp?.clientSecret ?? '');
});

test('SECURITY 15: pointing a private_key_jwt provider at another server needs the key confirmed for it, and the page says why', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: '+ Add a provider by URL' }).click();
  const panel = page.getByTestId('add-provider-panel');
  const keys = panel.getByTestId('client-keys');
  // Counted once the key list has loaded (Generate shows with it), not while the panel's code is still arriving.
  await expect(keys.getByRole('button', { name: 'Generate ES384' })).toBeVisible();
  const before = await keys.getByTestId('client-key').count();
  await keys.getByRole('button', { name: 'Generate ES384' }).click();
  await expect(keys.getByTestId('client-key')).toHaveCount(before + 1);
  await panel.getByRole('button', { name: 'Built-in SMART sandbox' }).click();

  const form = panel.getByTestId('provider-config-form');
  await form.getByLabel('Provider name').fill('Key-bound backend');
  await form.getByLabel('Grant', { exact: true }).selectOption('client_credentials');
  await form.getByRole('button', { name: 'Register at this server' }).click();
  await expect(form.getByTestId('registration-result')).toBeVisible();
  await form.getByTestId('save-provider').click();
  await expect(panel.getByTestId('provider-saved')).toBeVisible();
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('client-assertion')).toBeVisible();

  await panel.getByTestId('saved-provider').filter({ hasText: 'Key-bound backend' }).getByRole('button', { name: 'Edit' }).click();
  const edit = panel.getByTestId('provider-config-form');
  await expect(edit.getByTestId('key-confirmation')).toHaveCount(0);
  await edit.getByLabel('FHIR base URL (optional)').fill('http://127.0.0.1:9/fhir');
  const confirmation = edit.getByTestId('key-confirmation');
  await expect(confirmation).toContainText('the key may sign client assertions for the provider at http://127.0.0.1:9 (FHIR base URL)');
  await expect(confirmation).toContainText('A saved key signs only for the server it was confirmed for');
  await expect(edit.locator('#smart-fhir-base-hint')).toContainText('confirm the signing key for it');
  await edit.scrollIntoViewIfNeeded();
  await page.screenshot(shot('3-key-confirmation'));

  await edit.getByTestId('save-provider').click();
  await expect(edit).toContainText('Confirm that the key may sign client assertions for this server.');

  // Confirmed, the save passes the rule and meets the next one: a built-in sandbox's FHIR base stays inside it.
  await confirmation.getByRole('checkbox').check();
  await edit.getByTestId('save-provider').click();
  await expect(edit).toContainText('outside the built-in sandbox');
  await expect(edit).not.toContainText('Confirm that the key may sign');

  // Another URL needs its own confirmation.
  await edit.getByLabel('FHIR base URL (optional)').fill('http://127.0.0.1:10/fhir');
  await expect(confirmation.getByRole('checkbox')).not.toBeChecked();
});
