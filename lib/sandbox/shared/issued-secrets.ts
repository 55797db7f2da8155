import 'server-only';
import { appendFileSync } from 'node:fs';

/**
 * Test support, off by default. When `SANDBOX_ISSUED_SECRETS_FILE` names a file (only the e2e webServer sets it,
 * in playwright.config.ts), the built-in sandboxes append every access, refresh and ID token and every
 * authorization code they issue to it, one a line as `<kind> <value>` (kind: access_token, refresh_token,
 * id_token, code). Tokens are minted at runtime, and opaque ones have no shape to
 * search for, so the log scan at the end of an e2e run (e2e/global-teardown.ts) reads this list to know what must
 * not appear in the server's output. Never set it outside tests: the file holds live credentials.
 */
export const ISSUED_SECRETS_ENV = 'SANDBOX_ISSUED_SECRETS_FILE';

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token', 'code'] as const;

/**
 * Records the secrets a sandbox response hands out (token fields of a JSON body, `code` of a redirect) when the
 * env var is set, and returns the response unchanged. A JSON body is read from a clone, off the response's path.
 */
export function recordIssuedSecrets(response: Response, env: Record<string, string | undefined> = process.env): Response {
  const file = env[ISSUED_SECRETS_ENV];
  if (!file) return response;
  const location = response.headers.get('location');
  if (location) {
    try {
      const url = new URL(location, 'http://sandbox.invalid');
      // RFC 6749 §4.1.2: the code comes back in the query (or, for some response modes, the fragment).
      const params = [url.searchParams, new URLSearchParams(url.hash.slice(1))];
      append(file, params.flatMap((p) => TOKEN_FIELDS.map((f): [string, string] => [f, p.get(f) ?? ''])));
    } catch {
      // Not a URL: nothing issued in it.
    }
  }
  const type = response.headers.get('content-type')?.toLowerCase() ?? '';
  if (response.body && type.includes('json') && !type.includes('ndjson')) {
    void response
      .clone()
      .text()
      .then((text) => append(file, valuesIn(text)))
      .catch(() => undefined);
  }
  return response;
}

function valuesIn(text: string): [string, string][] {
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json !== 'object' || json === null) return [];
    return TOKEN_FIELDS.filter((f) => f !== 'code').map((f): [string, string] => {
      const value = (json as Record<string, unknown>)[f];
      return [f, typeof value === 'string' ? value : ''];
    });
  } catch {
    return [];
  }
}

function append(file: string, values: [kind: string, value: string][]): void {
  const lines = values.filter(([, v]) => v.length >= 8);
  if (lines.length > 0) appendFileSync(file, lines.map(([k, v]) => `${k} ${v}\n`).join(''));
}
