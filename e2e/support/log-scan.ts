import { existsSync, readFileSync } from 'node:fs';

/**
 * The log scan of an e2e run (issue #7, SECURITY.md rule 11): every secret and token the run used must be absent
 * from what the server wrote. Known values are searched verbatim and percent-encoded; tokens nobody listed are
 * caught by shape (a compact JWS, a credential after `Bearer`).
 */

/** Where the e2e run keeps the server's output and the sandboxes' list of issued values (playwright.config.ts). */
export const E2E_SERVER_LOG_NAME = 'server.log';
export const E2E_ISSUED_SECRETS_NAME = 'sandbox-issued-secrets.txt';
export const E2E_LOG_SCAN_RESULT_NAME = 'log-scan.json';

/** Values e2e tests type into the page themselves (not presets, not issued by a sandbox). */
export const TYPED_SECRETS = ['not-the-right-secret-0123456789abcdef'];

/** A compact JWS anywhere in free text: header and payload are base64url JSON objects. */
const JWS = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/g;
/** A credential after `Bearer`, unless it is already a redaction placeholder. */
const BEARER = /\bBearer\s+(?!\[redacted)(?!realm=)[A-Za-z0-9\-._~+/]{8,}=*/gi;
/** A credential after the `DPoP` scheme (RFC 9449 §7.1), not a challenge's `error=` or `algs=`, nor a placeholder. */
const DPOP = /\bDPoP\s+(?!\[redacted)(?![a-z_]+=)[A-Za-z0-9\-._~+/]{20,}=*/g;
/** A private JWK member (a DPoP or client key's private half) in JSON. */
const PRIVATE_JWK = /"(?:d|p|q|dp|dq|qi)"\s*:\s*"[A-Za-z0-9_-]{30,}"/g;

export interface Finding {
  file: string;
  line: number;
  kind: 'known value' | 'compact JWS' | 'Bearer credential' | 'DPoP credential' | 'private JWK';
  /** Never the secret itself: the finding is printed. */
  what: string;
}

export interface IssuedSecret {
  kind: 'access_token' | 'refresh_token' | 'id_token' | 'code';
  value: string;
}

/** Reads the sandboxes' list of issued tokens and codes (`<kind> <value>` a line); empty when the file is missing. */
export function readIssued(file: string): IssuedSecret[] {
  if (!existsSync(file)) return [];
  const seen = new Map<string, IssuedSecret>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [kind, value] = line.trim().split(' ') as [IssuedSecret['kind'], string | undefined];
    if (value && value.length >= 8) seen.set(value, { kind, value });
  }
  return [...seen.values()];
}

/** Every issued value, whatever its kind. */
export function readIssuedSecrets(file: string): string[] {
  return readIssued(file).map((s) => s.value);
}

/** Every occurrence of a known secret (verbatim or percent-encoded), a compact JWS or a Bearer credential. */
export function scanText(file: string, text: string, secrets: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split('\n');
  const forms = [...new Set(secrets.filter((s) => s.length >= 8).flatMap((s) => [s, encodeURIComponent(s)]))];
  lines.forEach((content, index) => {
    const line = index + 1;
    for (const form of forms) {
      if (content.includes(form)) findings.push({ file, line, kind: 'known value', what: `${form.slice(0, 4)}… (${form.length} chars)` });
    }
    for (const m of content.matchAll(JWS)) findings.push({ file, line, kind: 'compact JWS', what: `${m[0].slice(0, 12)}… (${m[0].length} chars)` });
    for (const m of content.matchAll(BEARER)) findings.push({ file, line, kind: 'Bearer credential', what: `${m[0].slice(0, 11)}… (${m[0].length} chars)` });
    for (const m of content.matchAll(DPOP)) findings.push({ file, line, kind: 'DPoP credential', what: `${m[0].slice(0, 9)}… (${m[0].length} chars)` });
    for (const m of content.matchAll(PRIVATE_JWK)) findings.push({ file, line, kind: 'private JWK', what: `${m[0].slice(0, 6)}… (${m[0].length} chars)` });
  });
  return findings;
}
