import { expect, test } from '../support/test';
import { browserVisibleText, FULL_JWT, presetSecrets, recordResponses } from '../support/secrets';

test('BCDA on the built-in sandbox: token → claims → countdown → metadata → $export → preview, no secret in the browser', async ({ page, context }) => {
  const seen = recordResponses(page);
  const consoleMessages: string[] = [];
  page.on('console', (m) => consoleMessages.push(m.text()));
  await page.goto('/');

  await expect(page.getByLabel('Provider')).toBeVisible();
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('extra-small');
  await page.getByTestId('get-token').click();

  const tokenPanel = page.getByTestId('token-panel');
  await expect(tokenPanel).toBeVisible();
  // The result is where focus goes, not the page body (issue #16 item 12).
  await expect(page.getByTestId('token-result')).toBeFocused();
  const claims = page.getByTestId('claims-table');
  await expect(claims).toContainText('ssas');
  await expect(claims).toContainText('2462c96b-6427-4efb-aed7-118e20c2e997');
  await expect(claims).toContainText('SBXBD001');
  // The decoded claims as raw JSON too, to read or copy (never the token).
  await tokenPanel.getByText('Raw JSON').nth(1).click();
  await expect(page.getByTestId('jwt-claims-json')).toContainText('"cid": "2462c96b-6427-4efb-aed7-118e20c2e997"');
  await expect(tokenPanel.getByRole('button', { name: 'Copy claims JSON' })).toBeVisible();
  // BCDA's own claims explained from its provider file's glossary.
  await expect(claims.getByRole('row', { name: /^cid / })).toContainText('client id (BCDA)');
  await expect(tokenPanel).toContainText(/verified/i);

  // The countdown starts near 20:00 and ticks.
  const countdown = page.getByTestId('token-countdown');
  await expect(countdown).toHaveText(/^(19|20):\d\d/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first ?? '', { timeout: 5_000 });

  const deviations = page.getByTestId('deviations');
  await expect(deviations).toContainText('expires_in');
  await expect(deviations).toContainText('1200');

  // A FHIR request with the session's token.
  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: /CapabilityStatement/ }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('CapabilityStatement');
  await expect(page.getByTestId('fhir-result')).toBeFocused();
  await expect(page.getByTestId('fhir-response-body')).toContainText('Beneficiary Claims Data API');

  // Bulk export: kick-off, progress, manifest, preview.
  await fhir.getByRole('button', { name: 'Patient $export', exact: true }).click();
  await page.getByTestId('fhir-send').click();
  const bulk = page.getByTestId('bulk-export');
  await expect(bulk).toBeVisible();
  await expect(page.getByTestId('bulk-progress')).toBeVisible();
  const files = page.getByTestId('bulk-file');
  await expect(files).toHaveCount(3, { timeout: 30_000 });
  await expect(bulk).toContainText('Patient');
  await expect(bulk).toContainText('ExplanationOfBenefit');
  await files.filter({ hasText: 'Patient' }).first().getByRole('button', { name: /preview/i }).click();
  const preview = page.getByTestId('ndjson-preview');
  await expect(preview).toContainText('Patient');
  await expect(preview).toContainText(/20 (lines|resources)/);
  // Twenty lines are one tab stop; the arrow keys move between them.
  const lines = preview.locator('summary[data-line]');
  await expect(lines).toHaveCount(20);
  await expect(preview.locator('summary[data-line][tabindex="0"]')).toHaveCount(1);
  await lines.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(lines.nth(1)).toBeFocused();
  await page.keyboard.press('End');
  await expect(lines.nth(19)).toBeFocused();
  await expect(preview.locator('summary[data-line][tabindex="0"]')).toHaveCount(1);

  // The timeline shows the exchanges, redacted.
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText('/auth/token');
  await expect(timeline).toContainText('$export');

  await page.screenshot({ path: 'test-results/screenshots/bcda-console.png', fullPage: true });

  // Nothing the browser saw or holds carries a secret or a whole token.
  for (const text of await browserVisibleText(page, context, seen)) {
    for (const secret of presetSecrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(FULL_JWT);
  }
  for (const message of consoleMessages) expect(message).not.toMatch(FULL_JWT);
});

test('a wrong secret shows BCDA’s 401 explained, and the typed secret never comes back', async ({ page, context }) => {
  const seen = recordResponses(page);
  const typedSecret = 'not-the-right-secret-0123456789abcdef';
  await page.goto('/');
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('custom');
  await page.getByLabel('Client ID').fill('2462c96b-6427-4efb-aed7-118e20c2e997');
  await page.getByLabel('Client secret').fill(typedSecret);
  await page.getByTestId('get-token').click();

  const error = page.getByTestId('token-error');
  await expect(error).toBeVisible();
  // Said once: the provider's status and words, one cause, one fix; the console's own 424 only as a footnote.
  const said = error.getByTestId('provider-said');
  await expect(said).toContainText('CMS BCDA answered 401');
  await expect(said).toContainText('Unauthorized');
  await expect(said).not.toContainText('424');
  await expect(error.getByTestId('error-cause')).toContainText(/client/i);
  await expect(error.getByText('Fix:')).toHaveCount(1);
  await expect(page.getByTestId('get-token-card').getByTestId('diagnoses')).toHaveCount(0);
  await expect(page.getByLabel('Client secret')).toHaveValue('');
  // The timeline names the failure and its fix.
  await expect(page.getByTestId('timeline-diagnosis').first()).toContainText('Client authentication failed');

  await page.screenshot({ path: 'test-results/screenshots/bcda-wrong-secret.png', fullPage: true });
  for (const text of await browserVisibleText(page, context, seen)) {
    expect(text).not.toContain(typedSecret);
    for (const secret of presetSecrets) expect(text).not.toContain(secret);
  }
});

test('Get token is one request from the page: its answer carries the session, and the page reads nothing more', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Provider').selectOption('bcda');
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('extra-small');
  await page.waitForLoadState('networkidle');
  const apiCalls: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) apiCalls.push(`${request.method()} ${url.pathname}`);
  });

  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  await expect(page.getByTestId('claims-table')).toContainText('SBXBD001');
  // The timeline shows the token exchange from the same answer.
  await expect(page.getByTestId('timeline')).toContainText('/auth/token');
  await page.waitForTimeout(1_500);
  expect(apiCalls).toEqual(['POST /api/oauth/bcda/token']);
});

test('a session read that started before Get token does not take the new token off the page when it lands after', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Provider').selectOption('bcda');
  await page.getByLabel('Environment').selectOption('builtin');
  await page.getByLabel('Credential set').selectOption('extra-large');
  await page.waitForLoadState('networkidle');

  // The next session read is answered by the server now (no token yet) but reaches the page only after the token.
  let tokenAnswered!: () => void;
  const tokenDone = new Promise<void>((resolve) => (tokenAnswered = resolve));
  await page.route('**/api/session', async (route) => {
    const stale = await route.fetch();
    await tokenDone;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await route.fulfill({ response: stale });
  }, { times: 1 });
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/api/oauth/bcda/token') tokenAnswered();
  });

  await page.getByTestId('timeline').getByRole('button', { name: 'Refresh' }).click();
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('token-panel')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  await expect(page.getByTestId('token-panel')).toBeVisible();
});
