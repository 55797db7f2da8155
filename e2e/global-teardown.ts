import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_ISSUED_SECRETS_NAME, E2E_LOG_SCAN_RESULT_NAME, E2E_SERVER_LOG_NAME, readIssuedSecrets, scanText, TYPED_SECRETS } from './support/log-scan';
import { presetSecrets } from './support/secrets';
import { E2E_LOG_DIR, E2E_SESSION_SECRET } from './support/server-env';

/**
 * The last step of every e2e run (issue #7: "a test scans the logs of a whole e2e run for every secret and token
 * used: 0 found"). It reads the server's whole output and looks for every token and code the sandboxes issued
 * during the run, every preset client secret, the session password, secrets the tests typed, and any compact JWS
 * or `Bearer` credential. A finding fails the run; so does an empty list of issued values (the recorder broke, and
 * a scan for nothing would prove nothing).
 */
export default async function globalTeardown(): Promise<void> {
  const dir = E2E_LOG_DIR;
  const logFile = join(dir, E2E_SERVER_LOG_NAME);
  const issued = readIssuedSecrets(join(dir, E2E_ISSUED_SECRETS_NAME));
  const secrets = [...issued, ...presetSecrets, E2E_SESSION_SECRET, ...TYPED_SECRETS];
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    throw new Error(`Log scan: ${logFile} is missing; the e2e webServer did not record the server output.`);
  }
  // Positive control: the scanner finds what it is meant to find, so "0 found" means something.
  const planted = [
    `${issued[0] ?? presetSecrets[0]} Authorization: Bearer abcdefghijklmnop eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4eXoxMjMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ`,
    'Authorization: DPoP abcdefghijklmnopqrstuvwxyz0123 {"kty":"EC","d":"c2VjcmV0LXByaXZhdGUta2V5LW1lbWJlci0wMTIzNDU2Nzg5"}',
    // What the scanner must leave alone: a DPoP challenge and a redacted credential.
    'WWW-Authenticate: DPoP error="use_dpop_nonce", algs="ES256" Authorization: DPoP [redacted]',
  ].join('\n');
  if (new Set(scanText('self-check', planted, secrets).map((f) => f.kind)).size !== 5 || scanText('self-check', planted, secrets).some((f) => f.line === 3)) {
    throw new Error('Log scan: the scanner failed its self-check.');
  }
  const findings = scanText(E2E_SERVER_LOG_NAME, text, secrets);
  const result = { logFile, logBytes: text.length, issuedValues: issued.length, secretsSearched: secrets.length, found: findings.length, findings };
  writeFileSync(join(dir, E2E_LOG_SCAN_RESULT_NAME), JSON.stringify(result, null, 2));
  console.log(`\nLog scan: ${text.length} bytes of server output, ${issued.length} issued tokens/codes + ${secrets.length - issued.length} preset/typed secrets searched, ${findings.length} found.`);
  if (findings.length > 0) {
    throw new Error(`Log scan: ${findings.length} secret(s) in the server output:\n${findings.slice(0, 20).map((f) => `  ${f.file}:${f.line} ${f.kind} ${f.what}`).join('\n')}`);
  }
  if (issued.length === 0) {
    throw new Error('Log scan: the sandboxes recorded no issued token or code, so the scan would prove nothing (SANDBOX_ISSUED_SECRETS_FILE).');
  }
}
