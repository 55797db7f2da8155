import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expect, test } from '../support/test';
import { choose, signInAtBlueButton } from '../support/console';
import { E2E_ISSUED_SECRETS_NAME, readIssued } from '../support/log-scan';
import { browserVisibleText, findTokenByFingerprint, FULL_JWT, presetSecrets, PRIVATE_JWK_MEMBER, recordResponses, sessionFingerprints } from '../support/secrets';
import { E2E_LOG_DIR } from '../support/server-env';

const issuedFile = join(E2E_LOG_DIR, E2E_ISSUED_SECRETS_NAME);

test('SECURITY 1: no access, refresh or ID token, client secret or PKCE verifier reaches the browser — responses, RSC payloads, URLs, cookies, storage, DOM, console', async ({ page, context }) => {
  test.setTimeout(120_000);
  const before = new Set(readIssued(issuedFile).map((s) => s.value));
  const seen = recordResponses(page);
  const sent: string[] = [];
  page.on('request', (request) => sent.push(`${request.url()}\n${JSON.stringify(request.headers())}\n${request.postData() ?? ''}`));
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(message.text()));
  page.on('pageerror', (error) => consoleLines.push(String(error)));

  // Authorization code with PKCE (Blue Button), then a refresh with rotation.
  await choose(page, 'bluebutton', 'demo-demographic');
  // The sequence diagram stays open through both flows: its arrows, steps and exchange detail are in the DOM scanned below.
  await page.getByTestId('show-sequence-diagram').click();
  await signInAtBlueButton(page);
  await expect(page.getByTestId('token-panel')).toBeVisible();
  await page.getByTestId('refresh-token').click();
  await expect(page.getByTestId('refresh-history')).toContainText(/rotated/i);
  // Client credentials with a JWT access token (BCDA) and a FHIR call that carries it upstream.
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
  const diagram = page.getByTestId('flow-diagram');
  await diagram.getByTestId('sequence-arrow').first().click();
  await expect(diagram.getByTestId('diagram-exchange')).toContainText('[redacted');

  const issued = readIssued(issuedFile).filter((s) => !before.has(s.value));
  const tokens = issued.filter((s) => s.kind !== 'code').map((s) => s.value);
  // Blue Button's access + refresh token, their rotated pair, BCDA's access token.
  expect(tokens.length).toBeGreaterThanOrEqual(5);

  const texts = [...(await browserVisibleText(page, context, seen)), ...sent, ...consoleLines];
  // Checked as booleans and matches, so a failure names the leak without printing a whole JS bundle.
  for (const text of texts) {
    for (const secret of [...tokens, ...presetSecrets]) expect(text.includes(secret), `${secret.slice(0, 4)}… in the browser`).toBe(false);
    expect(text.match(FULL_JWT)?.[0]).toBeUndefined();
    expect(text.match(PRIVATE_JWK_MEMBER)?.[0]?.slice(0, 8)).toBeUndefined();
  }
  const fingerprints = await sessionFingerprints(page);
  // The finder fingerprints with the e2e server's key: it must recognise the session's own tokens, or it proves nothing.
  expect(findTokenByFingerprint([tokens.join(' ')], fingerprints)).not.toBeNull();
  expect(findTokenByFingerprint(texts, fingerprints)).toBeNull();

  // PKCE: the browser saw the S256 challenge; no string it saw is the verifier behind it.
  const authorize = sent.map((s) => s.split('\n')[0]!).find((u) => u.includes('code_challenge='));
  const challenge = new URL(authorize!).searchParams.get('code_challenge');
  expect(new URL(authorize!).searchParams.get('code_challenge_method')).toBe('S256');
  for (const text of texts) {
    for (const word of text.matchAll(/[A-Za-z0-9._~-]{43,128}/g)) {
      expect(createHash('sha256').update(word[0]).digest('base64url') === challenge, 'the PKCE verifier is in the browser').toBe(false);
    }
  }
});
