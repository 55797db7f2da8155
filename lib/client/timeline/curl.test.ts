import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { redactHeaders, redactText, redactUrl } from '@/lib/http/redact';
import { toCurl } from './curl';
import { LOOKS_SECRET, makeExchange, SECRET_MARK, SECRET_MARK_ENCODED } from './test-fixtures';

/** Runs the command with `curl` replaced by a function that prints its arguments, one per line. */
function argvOf(command: string, env: Record<string, string> = {}): string[] {
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', `curl() { printf '%s\\n' "$@"; }\n${command}`], {
    encoding: 'utf8',
    // Only what the command needs: no BASH_ENV, no variable of the test runner's.
    env: { NODE_ENV: 'test', PATH: process.env.PATH ?? '', ...env },
  });
  return out.replace(/\n$/, '').split('\n');
}

describe('toCurl', () => {
  it('turns BCDA Basic auth into --user with variables and drops automatic headers', () => {
    expect(toCurl(makeExchange())).toBe(
      [
        '# token exchange at 2026-08-23T14:03:27.120Z; set CLIENT_ID, CLIENT_SECRET first',
        `curl -X POST 'http://localhost:3100/sandbox/bcda/auth/token' \\`,
        `  --user "$CLIENT_ID:$CLIENT_SECRET" \\`,
        `  -H 'accept: application/json' \\`,
        `  --data-raw ''`,
        '',
      ].join('\n'),
    );
  });

  it('turns a Bearer header into $ACCESS_TOKEN in double quotes and leaves out a missing body', () => {
    const curl = toCurl(
      makeExchange({
        kind: 'fhir',
        method: 'GET',
        url: 'http://localhost:3100/sandbox/bcda/api/v2/metadata',
        request: { headers: [['Authorization', 'Bearer [redacted]'], ['Accept', 'application/fhir+json']], body: null },
      }),
    );
    expect(curl).toContain('# fhir exchange at 2026-08-23T14:03:27.120Z; set ACCESS_TOKEN first\n');
    expect(curl).toContain(`-H "Authorization: Bearer $ACCESS_TOKEN"`);
    expect(curl).not.toContain('--data-raw');
    expect(argvOf(curl, { ACCESS_TOKEN: 'tok' })).toEqual([
      '-X',
      'GET',
      'http://localhost:3100/sandbox/bcda/api/v2/metadata',
      '-H',
      'Authorization: Bearer tok',
      '-H',
      'Accept: application/fhir+json',
    ]);
  });

  it('maps redacted form fields to variables by name', () => {
    const body =
      `grant_type=authorization_code&code=${SECRET_MARK_ENCODED}&redirect_uri=http%3A%2F%2Flocalhost%2Fcb` +
      `&code_verifier=${SECRET_MARK_ENCODED}&client_id=abc&client_secret=${SECRET_MARK_ENCODED}` +
      `&refresh_token=${SECRET_MARK_ENCODED}&password=[redacted]`;
    const curl = toCurl(
      makeExchange({
        request: { headers: [['content-type', 'application/x-www-form-urlencoded']], body },
      }),
    );
    expect(curl).toContain('set CODE, CODE_VERIFIER, CLIENT_SECRET, REFRESH_TOKEN, PASSWORD first');
    expect(curl).not.toContain('redacted');
    const argv = argvOf(curl, { CODE: 'c0de', CODE_VERIFIER: 'v', CLIENT_SECRET: 's$1', REFRESH_TOKEN: 'r', PASSWORD: 'p' });
    expect(argv.at(-1)).toBe(
      'grant_type=authorization_code&code=c0de&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&code_verifier=v' +
        '&client_id=abc&client_secret=s$1&refresh_token=r&password=p',
    );
  });

  it('maps redacted JSON fields to variables and escapes the rest of a double-quoted body', () => {
    const body = `{"client_id":"it's \`x\` $HOME \\\\ !","client_secret": "${SECRET_MARK}","access_token":"${SECRET_MARK}"}`;
    const curl = toCurl(makeExchange({ request: { headers: [['Content-Type', 'application/json']], body } }));
    expect(curl).toContain('set CLIENT_SECRET, ACCESS_TOKEN first');
    expect(curl).toContain(`\\"client_secret\\": \\"$CLIENT_SECRET\\"`);
    const argv = argvOf(curl, { CLIENT_SECRET: 'S', ACCESS_TOKEN: 'A', HOME: '/should-not-expand' });
    expect(JSON.parse(argv.at(-1) ?? '')).toEqual({ client_id: "it's `x` $HOME \\ !", client_secret: 'S', access_token: 'A' });
  });

  it('single-quotes literal URLs, headers and bodies, escaping single quotes', () => {
    const curl = toCurl(
      makeExchange({
        kind: 'fhir',
        url: "http://h/Patient?name=O'Brien&x=$y",
        request: { headers: [['X-Note', `it's "fine" $x`]], body: `{"q":"it's $none"}` },
      }),
    );
    expect(curl).toContain(`'http://h/Patient?name=O'\\''Brien&x=$y'`);
    expect(curl.split('\n')[0]).toBe('# fhir exchange at 2026-08-23T14:03:27.120Z');
    expect(argvOf(curl)).toEqual([
      '-X',
      'POST',
      "http://h/Patient?name=O'Brien&x=$y",
      '-H',
      `X-Note: it's "fine" $x`,
      '--data-raw',
      `{"q":"it's $none"}`,
    ]);
  });

  it('turns redacted query parameters and other redacted headers into variables', () => {
    const curl = toCurl(
      makeExchange({
        method: 'GET',
        url: `http://h/token?grant_type=authorization_code&code=${SECRET_MARK_ENCODED}&state=abc`,
        request: { headers: [['x-api-key', '[redacted]'], ['Authorization', 'DPoP [redacted]']], body: null },
      }),
    );
    expect(curl).toContain(`"http://h/token?grant_type=authorization_code&code=$CODE&state=abc"`);
    expect(curl).toContain(`-H "x-api-key: $X_API_KEY"`);
    expect(curl).toContain(`-H "Authorization: DPoP $AUTHORIZATION"`);
    expect(curl).toContain('set CODE, X_API_KEY, AUTHORIZATION first');
  });

  it('never emits a credential the server recorded, even one the server failed to redact in Authorization', () => {
    const curl = toCurl(makeExchange({ request: { headers: [['Authorization', 'Basic dXNlcjpzZWNyZXRzZWNyZXQ=']], body: null } }));
    expect(curl).not.toContain('dXNlcjpzZWNyZXRzZWNyZXQ=');
    expect(curl).toContain(`--user "$CLIENT_ID:$CLIENT_SECRET"`);
  });

  it('yields nothing that looks like a secret from exchanges redacted by the server', () => {
    const clientSecret = '825598c105bd1fe021c9eb9d41b30e82beb7a505a1184282e69891f76aa0a396dc9d20f35c9df4a5';
    const jwt = 'eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJzc2FzIiwiY2lkIjoiYWJjIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl';
    const secrets = [clientSecret, jwt, 'the-auth-code-123', 'verifier-verifier-verifier'];
    const exchanges = [
      makeExchange({
        request: {
          headers: redactHeaders([['Authorization', `Basic ${btoa(`id:${clientSecret}`)}`]], secrets),
          body: redactText(`grant_type=authorization_code&code=the-auth-code-123&code_verifier=verifier-verifier-verifier`, secrets),
        },
      }),
      makeExchange({
        url: redactUrl(`http://h/fhir?access_token=${jwt}`, secrets),
        request: {
          headers: redactHeaders([['Authorization', `Bearer ${jwt}`]], secrets),
          body: redactText(JSON.stringify({ client_id: 'id', client_secret: clientSecret, refresh_token: 'rt-rt-rt-rt-rt' }), secrets),
        },
      }),
    ];
    for (const exchange of exchanges) {
      const curl = toCurl(exchange);
      for (const secret of [...secrets, 'rt-rt-rt-rt-rt']) expect(curl).not.toContain(secret);
      for (const pattern of LOOKS_SECRET) expect(curl).not.toMatch(pattern);
      expect(curl).not.toContain('redacted');
    }
  });
});
