import { setSimulatedFailure } from '../support/console';
import { expect, test } from '../support/test';

/**
 * Upstream faults (issue #7): with each transport fault of the built-in sandbox switched on, the token request
 * ends with a clear message (never a hang, never a blank page), and with it off again the console works as before.
 */

const faults: { label: string; message: RegExp; waitMs?: number }[] = [
  { label: 'Malformed JSON', message: /JSON/ },
  { label: 'Truncated body', message: /answered 200, then the connection closed before the body was complete/ },
  { label: 'Connection reset', message: /closed the connection before answering/ },
  { label: 'No answer (timeout)', message: /did not answer in time/, waitMs: 25_000 },
];

test('each upstream fault ends in a clear error, and the console keeps working', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('extra-small');

  for (const fault of faults) {
    await setSimulatedFailure(page, fault.label, true);
    await page.getByTestId('get-token').click();
    await expect(page.getByTestId('token-error'), fault.label).toContainText(fault.message, { timeout: fault.waitMs ?? 15_000 });
    await setSimulatedFailure(page, fault.label, false);
  }

  // A slow body is waited for, not mistaken for a failure.
  await setSimulatedFailure(page, 'Slow body', true);
  const started = Date.now();
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('token-error')).toHaveCount(0);
  expect(Date.now() - started).toBeGreaterThan(4_000);
  await setSimulatedFailure(page, 'Slow body', false);

  // And with every fault off the next token comes at once.
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  await expect(page.getByTestId('claims-table')).toContainText('SBXBD001');
  await page.screenshot({ path: 'test-results/screenshots/upstream-faults.png', fullPage: true });
});
