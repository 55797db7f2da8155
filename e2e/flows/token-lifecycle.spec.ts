import { expect, test } from '../support/test';

async function getToken(page: import('@playwright/test').Page, presetId: string) {
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption(presetId);
  await page.getByTestId('get-token').click();
}

test('the countdown runs on the server clock and turns to Expired after 20 minutes', async ({ page }) => {
  await page.clock.install();
  await page.goto('/');
  await getToken(page, 'advanced-extra-small');
  const countdown = page.getByTestId('token-countdown');
  await expect(countdown).toHaveText(/^(19|20):\d\d/);
  await expect(page.getByTestId('token-panel')).toContainText('Live');

  await page.clock.fastForward('18:30');
  await expect(countdown).toHaveText(/^01:\d\d/);
  await expect(page.getByTestId('token-panel')).toContainText('Expiring soon');

  await page.clock.fastForward('02:00');
  await expect(page.getByTestId('token-expired')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/bcda-token-expired.png' });
});

test('a second Get token reuses the live token, as BCDA asks, and "Mint a new token" mints one', async ({ page }) => {
  await page.goto('/');
  await getToken(page, 'reach-extra-small');
  await expect(page.getByTestId('token-panel')).toBeVisible();
  const firstJti = await page.getByTestId('claims-table').locator('tr', { hasText: 'jti' }).textContent();

  await page.getByTestId('get-token').click();
  const reused = page.getByTestId('token-reused');
  await expect(reused).toContainText('please cache and reuse them');
  await expect(page.getByTestId('claims-table').locator('tr', { hasText: 'jti' })).toHaveText(firstJti ?? '');

  await page.getByTestId('mint-new-token').click();
  await expect(reused).toBeHidden();
  await expect(page.getByTestId('claims-table').locator('tr', { hasText: 'jti' })).not.toHaveText(firstJti ?? '');
});

test('auto-renew mints a new BCDA token in the last minute, and the lifecycle shows the reuse before it', async ({ page }) => {
  await page.clock.install();
  await page.goto('/');
  await getToken(page, 'advanced-large');
  await page.getByTestId('get-token').click();
  const lifecycle = page.getByTestId('token-lifecycle');
  await expect(lifecycle.locator('[data-event="reused"]')).toHaveCount(1);
  const firstJti = await page.getByTestId('claims-table').locator('tr', { hasText: 'jti' }).textContent();

  await page.getByTestId('auto-renew').check();
  await expect(page.getByTestId('auto-renew-status')).toContainText(/Live for/);
  await page.clock.fastForward('19:30');
  await expect(page.getByTestId('claims-table').locator('tr', { hasText: 'jti' })).not.toHaveText(firstJti ?? '');
  await expect(page.getByTestId('token-countdown')).toHaveText(/^(19|20):\d\d/);
  await expect(lifecycle.locator('[data-event="issued"]')).toHaveCount(1);
  await expect(lifecycle.locator('[data-event="reused"]')).toHaveCount(0);
});
