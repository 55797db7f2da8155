import type { Page } from '@playwright/test';
import { choose, setSimulatedFailure } from '../support/console';
import { browserVisibleText, findTokenByFingerprint, FULL_JWT, PRIVATE_JWK_MEMBER, presetSecrets, recordResponses, sessionFingerprints } from '../support/secrets';
import { expect, test } from '../support/test';

/**
 * Issue #19 through the browser, on the built-in SMART sandbox: its DPoP + PAR demo app (registered with
 * dpop_bound_access_tokens and require_pushed_authorization_requests), and each simulated DPoP and PAR failure,
 * explained on the page. No DPoP proof, private key or token reaches the browser.
 */

interface Exchange {
  kind: string;
  status: number | null;
  url: string;
  providerId: string;
  dpop?: { answersNonceChallenge: boolean };
}

async function smartExchanges(page: Page): Promise<Exchange[]> {
  const session = (await (await page.request.get('/api/session', { headers: { 'x-console-request': '1' } })).json()) as { exchanges: Exchange[] };
  return session.exchanges.filter((e) => e.providerId === 'smart');
}

async function signIn(page: Page): Promise<void> {
  await page.getByLabel('Username').fill('patient1');
  await page.getByLabel('Password').fill('smart-sandbox');
  await page.getByRole('button', { name: 'Sign in and approve' }).click();
}

test('the DPoP + PAR app: the request pushed, the browser carries only request_uri, a DPoP token bound to the console’s key, FHIR and a refresh with proofs — no proof, key or token in the browser', async ({ page, context }) => {
  const seen = recordResponses(page);
  const visited: string[] = [];
  page.on('request', (r) => visited.push(r.url()));
  await choose(page, 'smart', 'dpop-par-app');

  await page.getByTestId('authorize').click();
  await expect(page.getByLabel('Username')).toBeVisible();
  const authorize = new URL(visited.find((u) => u.includes('/sandbox/smart/auth/authorize'))!);
  expect([...authorize.searchParams.keys()]).toEqual(['client_id', 'request_uri']);
  await signIn(page);

  const panel = page.getByTestId('token-panel');
  await expect(panel).toBeVisible();
  const binding = panel.getByTestId('dpop-binding');
  await expect(binding).toBeVisible();
  // The token_type row says how the token goes out: as it came, DPoP (no "sent as Bearer" for a bound token).
  await expect(panel).toContainText('"DPoP"');
  await expect(panel).not.toContainText('sent as');
  await expect(panel).toContainText('DPoP token · held by the server');
  // The workbench says what the server will add to each request: the DPoP scheme and a fresh proof, not Bearer.
  await expect(page.locator('#fhir-path-hint')).toContainText('Authorization: DPoP … and a fresh DPoP proof');
  await expect(binding.locator('[data-match]')).toHaveAttribute('data-match', 'true');
  await expect(binding.getByTestId('dpop-proof-header')).toContainText('dpop+jwt');
  await expect(binding.getByTestId('dpop-proof-claims')).toContainText('/sandbox/smart/auth/token');
  const jkt = (await binding.getByTestId('dpop-jkt').textContent())!.trim();

  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: 'Patient search', exact: true }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('smart-1');

  await page.getByTestId('refresh-token').click();
  await expect(page.getByTestId('refresh-history')).toContainText(/rotated/i);
  // RFC 9449 §5: the refresh is proved with the same key, and the new token is bound to it.
  await expect(binding.getByTestId('dpop-jkt')).toHaveText(jkt);
  await expect(binding.locator('[data-match]')).toHaveAttribute('data-match', 'true');

  // The JWKS is fetched when the console's key cache has none yet: not part of what this test shows.
  const exchanges = (await smartExchanges(page)).filter((e) => e.kind !== 'jwks');
  expect(exchanges.map((e) => [e.kind, e.status])).toEqual([
    ['par', 201],
    ['authorize', null],
    ['callback', 303],
    ['token', 200],
    ['fhir', 200],
    ['token', 200],
  ]);
  expect(exchanges.filter((e) => e.kind === 'par' || e.kind === 'token' || e.kind === 'fhir').every((e) => e.dpop !== undefined)).toBe(true);

  // The timeline shows the pushed request and, under a request, its proof decoded.
  const parRow = page.locator('[data-testid=timeline-row][data-kind=par]');
  await expect(parRow).toHaveCount(1);
  await parRow.locator('summary').first().click();
  await expect(parRow.getByText('DPoP proof, decoded')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/dpop-par-token.png', fullPage: true });

  const texts = await browserVisibleText(page, context, seen);
  for (const text of texts) {
    for (const secret of presetSecrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(FULL_JWT);
    expect(text).not.toMatch(PRIVATE_JWK_MEMBER);
  }
  expect(findTokenByFingerprint(texts, await sessionFingerprints(page))).toBeNull();
});

test('each simulated DPoP and PAR failure on the SMART sandbox is explained on the page', async ({ page }) => {
  await choose(page, 'smart', 'dpop-par-app');
  const flowError = page.getByTestId('flow-error');

  // The nonce challenge: answered once by the authorization server's first endpoint (the PAR endpoint, whose nonce the
  // token request then carries) and once by the API, which keeps nonces of its own (RFC 9449 §9); the run succeeds.
  await setSimulatedFailure(page, 'DPoP nonce required', true);
  await page.getByTestId('authorize').click();
  await signIn(page);
  await expect(page.getByTestId('token-panel').getByTestId('dpop-binding')).toBeVisible();
  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: 'Patient search', exact: true }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('fhir-response-body')).toContainText('smart-1');
  const answered = (await smartExchanges(page)).filter((e) => e.dpop).map((e) => [e.kind, e.status, e.dpop?.answersNonceChallenge]);
  expect(answered).toEqual([
    ['par', 400, false],
    ['par', 201, true],
    ['token', 200, false],
    ['fhir', 401, false],
    ['fhir', 200, true],
  ]);
  await setSimulatedFailure(page, 'DPoP nonce required', false);

  // A refused proof, and a replayed one: the code exchange fails, and the page says what a server checks.
  for (const [label, words] of [
    ['DPoP proof refused', /refused the DPoP proof/],
    ['Replayed DPoP proof', /new jti/],
  ] as const) {
    await setSimulatedFailure(page, label, true);
    await page.getByTestId('authorize').click();
    await signIn(page);
    await expect(flowError).toContainText(words);
    await expect(flowError).toContainText('invalid_dpop_proof');
    await setSimulatedFailure(page, label, false);
  }

  // PAR skipped: the request goes through the browser, and a client that must push is refused.
  await setSimulatedFailure(page, 'PAR skipped', true);
  await page.getByTestId('authorize').click();
  await expect(flowError).toContainText('require_pushed_authorization_requests');
  await setSimulatedFailure(page, 'PAR skipped', false);

  // An expired request_uri: refused at the authorize page, explained with the pushed request's lifetime.
  await setSimulatedFailure(page, 'Expired request_uri', true);
  await page.getByTestId('authorize').click();
  await expect(flowError).toContainText('invalid_request_uri');
  await expect(flowError).toContainText(/single use and lived 60 s/);
  await setSimulatedFailure(page, 'Expired request_uri', false);
  await page.screenshot({ path: 'test-results/screenshots/dpop-par-flow-error.png', fullPage: true });
});

test('the simulation card offers DPoP and PAR failures on the SMART sandbox only', async ({ page }) => {
  await choose(page, 'smart', 'dpop-par-app');
  await page.getByTestId('failure-simulation-open').click();
  await expect(page.getByRole('dialog', { name: 'Simulate a failure' }).getByLabel('DPoP nonce required', { exact: true })).toBeVisible();
  await page.getByTestId('failure-simulation-close').click();
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('failure-simulation-open').click();
  const drawer = page.getByRole('dialog', { name: 'Simulate a failure' });
  await expect(drawer.getByLabel('Invalid client', { exact: true })).toBeVisible();
  await expect(drawer.getByLabel('DPoP nonce required', { exact: true })).toHaveCount(0);
  await expect(drawer.getByLabel('PAR skipped', { exact: true })).toHaveCount(0);
});
