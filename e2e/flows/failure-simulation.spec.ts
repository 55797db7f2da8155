import { type Page } from '@playwright/test';
import { setSimulatedFailure } from '../support/console';
import { expect, test, watchContentSecurityPolicy } from '../support/test';

async function openBcdaBuiltin(page: Page) {
  await page.goto('/');
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('extra-small');
}

test('failure simulation on the built-in BCDA sandbox: on, explained, off — and only in this session', async ({ page, browser }) => {
  await openBcdaBuiltin(page);
  const card = page.getByTestId('failure-simulation');
  await expect(card).toBeVisible();
  const active = card.getByTestId('failure-simulation-active');
  await expect(active).toHaveCount(0);

  // Invalid client: the token request fails as for wrong credentials.
  await setSimulatedFailure(page, 'Invalid client', true);
  await expect(active).toBeVisible();
  await page.getByTestId('get-token').click();
  const tokenError = page.getByTestId('token-error');
  await expect(tokenError).toContainText('401');

  // Another browser (another session) is not affected.
  const other = await browser.newContext();
  await watchContentSecurityPolicy(other);
  try {
    const otherPage = await other.newPage();
    await openBcdaBuiltin(otherPage);
    await expect(otherPage.getByTestId('failure-simulation').getByLabel('Invalid client', { exact: true })).not.toBeChecked();
    await otherPage.getByTestId('get-token').click();
    await expect(otherPage.getByTestId('token-panel')).toBeVisible();
  } finally {
    await other.close();
  }

  // Off again: the token request works.
  await setSimulatedFailure(page, 'Invalid client', false);
  await expect(active).toHaveCount(0);
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  await expect(tokenError).toHaveCount(0);

  // Expired token: the API answers as BCDA does for an expired token.
  await setSimulatedFailure(page, 'Expired token', true);
  await expect(active).toBeVisible();
  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: 'Patient $export', exact: true }).click();
  await page.getByTestId('fhir-send').click();
  await expect(fhir).toContainText('401');
  await expect(fhir).toContainText('Expired Token');

  // The timeline shows the simulation on the recorded request.
  await expect(page.getByTestId('timeline')).toContainText('$export');

  // The token the provider refused is no longer "Live", says why, and is never reused: Get token mints a new one.
  const panel = page.getByTestId('token-panel');
  await expect(panel.getByTestId('token-refused-badge')).toBeVisible();
  await expect(page.getByTestId('token-status-bar').getByTestId('token-status')).toHaveText('Refused');
  await expect(panel.getByTestId('token-refused')).toContainText('Expired Token');
  await expect(panel).not.toContainText('Live');
  await page.getByTestId('get-token').click();
  await expect(panel.getByTestId('token-refused-badge')).toHaveCount(0);
  await expect(panel.getByTestId('token-refused')).toHaveCount(0);
  await expect(page.getByTestId('token-reused')).toHaveCount(0);

  await card.getByRole('button', { name: 'Switch all off' }).click();
  await expect(active).toHaveCount(0);
  await expect(card.getByLabel('Expired token', { exact: true })).not.toBeChecked();
});

test('a 429 storm: the button counts down the provider’s Retry-After and sends nothing more, and the hint says what is true', async ({ page }) => {
  await openBcdaBuiltin(page);
  const card = page.getByTestId('failure-simulation');
  await setSimulatedFailure(page, '429 storm', true);
  const tokenRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/oauth/bcda/token') tokenRequests.push(request.method());
  });

  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-error')).toContainText('429');
  const button = page.getByTestId('get-token');
  await expect(button).toBeDisabled();
  await expect(button).toHaveText(/^Retry in 0?4:5\d$/);
  const first = await button.textContent();
  await expect(button).not.toHaveText(first ?? '', { timeout: 3_000 });
  await expect(page.getByTestId('rate-limit-wait')).toBeVisible();
  // No token is held, so nothing suggests reusing one.
  await expect(page.getByTestId('token-error')).not.toContainText('Reuse a live token');
  await expect(page.getByTestId('token-error').getByTestId('error-fix')).toContainText('No live token is held');
  // Enter in the form does not send either.
  await page.getByLabel('Credential set').press('Enter');
  await page.waitForTimeout(500);
  expect(tokenRequests).toEqual(['POST']);

  await card.getByRole('button', { name: 'Switch all off' }).click();
});
