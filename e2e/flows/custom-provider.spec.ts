import { expect, test } from '../support/test';
import { discoveryDtoSchema } from '../../lib/contract/smart';
import { browserVisibleText, findTokenByFingerprint, FULL_JWT, recordResponses, sessionFingerprints } from '../support/secrets';

const shot = (name: string) => ({ path: `test-results/screens/custom-provider-${name}.png`, fullPage: true });

test('custom provider: ES384 key → discover the built-in SMART sandbox → live checks → register → save → token with a decoded assertion', async ({ page, context }) => {
  const seen = recordResponses(page);
  await page.goto('/');
  await expect(page.getByLabel('Provider', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: '+ Add a provider by URL' }).click();
  const panel = page.getByTestId('add-provider-panel');
  await expect(panel).toBeVisible();

  // A client key: generated on the server, only its public half comes back.
  const keys = panel.getByTestId('client-keys');
  await expect(keys.getByTestId('jwks-url')).toContainText('http');
  const before = await keys.getByTestId('client-key').count();
  await keys.getByRole('button', { name: 'Generate ES384' }).click();
  await expect(keys.getByTestId('client-key')).toHaveCount(before + 1);
  const keyRow = keys.getByTestId('client-key').filter({ hasText: 'ES384' }).last();
  const kid = await keyRow.getAttribute('data-kid');
  expect(kid).toBeTruthy();
  await keyRow.getByText('Public JWK').click();
  await expect(keyRow).toContainText('"kty"');
  await expect(keyRow).not.toContainText('"d"');

  // Discovery of the built-in SMART server: both documents, the merged metadata and the findings.
  const discovered = page.waitForResponse((r) => r.url().endsWith('/api/smart/discover') && r.request().method() === 'POST');
  await panel.getByRole('button', { name: 'Built-in SMART sandbox' }).click();
  const discovery = discoveryDtoSchema.parse(await (await discovered).json());
  const tokenEndpoint = discovery.server?.token_endpoint;
  expect(tokenEndpoint).toBeTruthy();
  const result = panel.getByTestId('discovery-result');
  await expect(result.getByTestId('discovery-document')).toHaveCount(discovery.documents.length);
  await expect(result.getByTestId('discovery-document').first()).toHaveAttribute('data-status', 'ok');
  await expect(result.getByTestId('discovered-server')).toContainText(tokenEndpoint ?? '');
  await expect(result).toContainText('Discovery findings');
  await page.screenshot(shot('1-discovery'));

  // Backend Services with private_key_jwt: the defaults follow the grant.
  const form = panel.getByTestId('provider-config-form');
  await form.getByLabel('Grant', { exact: true }).selectOption('client_credentials');
  await expect(form.getByLabel('Client authentication')).toHaveValue('private_key_jwt');
  await expect(form.getByLabel('Scopes')).toHaveValue(/^system\/\*\.(rs|read)$/);
  await expect(form.getByLabel('Signing key')).toHaveValue(kid ?? '');

  // Live checks change as the configuration does.
  const checks = form.getByTestId('config-checks');
  await form.getByLabel('Client authentication').selectOption('client_secret_post');
  await expect(checks.locator('[data-code="backend_not_asymmetric"]')).toBeVisible();
  await form.getByLabel('Client authentication').selectOption('private_key_jwt');
  await expect(checks.locator('[data-code="backend_not_asymmetric"]')).toHaveCount(0);
  const scopes = await form.getByLabel('Scopes').inputValue();
  await form.getByLabel('Scopes').fill(`${scopes} patient/*.rs`);
  await expect(checks.locator('[data-code="backend_user_scopes"]')).toBeVisible();
  await expect(form.getByTestId('save-provider')).toHaveText('Save anyway');
  await expect(form.getByTestId('save-warning')).toBeVisible();
  await page.screenshot(shot('2-checks'));
  await panel.screenshot({ path: 'test-results/screens/custom-provider-2a-panel.png' });
  await form.getByLabel('Scopes').fill(scopes);
  // Only the missing client ID is left, marked at its field: nothing says "no problems" while a save would be refused.
  await expect(checks.locator('[data-severity="error"]')).toHaveCount(1);
  await expect(checks.locator('[data-code="client_id_missing"]')).toBeVisible();
  await expect(checks).not.toContainText('no problems found');
  await expect(form.getByLabel('Client ID', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // The picker already lists the built-in server by its provider's name; this one says it is the user's client.
  await expect(form.getByLabel('Provider name')).toHaveValue('Your client at the built-in smart sandbox');

  // RFC 7591 registration at the server fills the client id.
  await form.getByRole('button', { name: 'Register at this server' }).click();
  await expect(form.getByTestId('registration-result')).toBeVisible();
  await expect(form.getByLabel('Client ID', { exact: true })).not.toHaveValue('');
  await expect(checks.locator('[data-severity="error"]')).toHaveCount(0);
  await expect(form.getByLabel('Client ID', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  const clientId = await form.getByLabel('Client ID', { exact: true }).inputValue();

  await form.getByTestId('save-provider').click();
  await expect(panel.getByTestId('provider-saved')).toBeVisible();
  await expect(panel.getByTestId('saved-provider').filter({ hasText: clientId })).toHaveCount(1);
  await expect(keyRow).toContainText('signs for');
  // The workbench now runs the saved provider.
  await expect(page.getByLabel('Provider', { exact: true })).toHaveValue(/^custom-[a-z0-9]{10}$/);
  // The next step is brought to the person who saved: Get token, in view and focused.
  await expect(page.getByTestId('get-token')).toBeFocused();
  await expect(page.getByTestId('get-token')).toBeInViewport();
  await page.screenshot(shot('3-saved'));

  await page.getByTestId('get-token').click();
  const assertion = page.getByTestId('client-assertion');
  await expect(assertion).toBeVisible();
  const claims = assertion.getByTestId('client-assertion-claims');
  await expect(claims.locator('[data-claim="aud"]')).toContainText(tokenEndpoint ?? '');
  await expect(claims.locator('[data-claim="iss"]')).toContainText(clientId);
  await expect(claims.locator('[data-claim="sub"]')).toContainText(clientId);
  await expect(claims.locator('[data-claim="jti"]')).toBeVisible();
  const header = assertion.getByTestId('client-assertion-header');
  await expect(header.locator('[data-claim="kid"]')).toContainText(kid ?? '');
  await expect(header.locator('[data-claim="alg"]')).toContainText('ES384');
  await assertion.scrollIntoViewIfNeeded();
  await page.screenshot(shot('4-token'));
  await assertion.screenshot({ path: 'test-results/screens/custom-provider-4a-assertion.png' });

  // A broken assertion on purpose: the sandbox refuses it, the console says why and shows what it sent.
  await page.getByText('Try a broken assertion').click();
  await page.getByLabel('What to break').selectOption('unknown_kid');
  await expect(page.getByTestId('assertion-fault-detail')).toHaveText('Sends an assertion with a kid that is not in your JWKS.');
  await page.getByTestId('send-faulty-assertion').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/custom-provider-4d-broken-assertion-choice.png' });
  await page.getByTestId('send-faulty-assertion').click();
  await expect(page.getByTestId('token-error')).toContainText('client assertion was not accepted');
  await expect(page.getByTestId('token-error')).toContainText(/kid/);
  const rejected = page.getByTestId('rejected-client-assertion');
  await expect(rejected.getByTestId('client-assertion-header').locator('[data-claim="kid"]')).toContainText('not-in-jwks');
  await rejected.scrollIntoViewIfNeeded();
  await page.screenshot(shot('4b-broken-assertion'));
  await page.getByTestId('token-error').screenshot({ path: 'test-results/screens/custom-provider-4c-rejection-explained.png' });

  // The key signs for the saved provider: deleting it is refused (409) and explained.
  await keyRow.getByRole('button', { name: `Delete key ${kid}` }).click();
  await keyRow.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(keys.getByTestId('key-delete-error')).toContainText('still in use');
  await expect(keys.getByTestId('client-key').filter({ has: page.locator(`[title="${kid}"]`) })).toHaveCount(1);
  await keys.scrollIntoViewIfNeeded();
  await page.screenshot(shot('5-key-in-use'));

  // Nothing the browser received holds a signed assertion, an access token or a private key.
  const texts = await browserVisibleText(page, context, seen);
  for (const text of texts) {
    expect(text).not.toMatch(FULL_JWT);
    expect(text).not.toMatch(/"d"\s*:\s*"/);
  }
  expect(findTokenByFingerprint(texts, await sessionFingerprints(page))).toBeNull();
});
