import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveFingerprintKey } from './fingerprint';
import { fingerprint, redactHeaders, redactStrings, redactText, redactUrl } from './redact';

const secret = '825598c105bd1fe021c9eb9d41b30e82beb7a505a1184282e69891f76aa0a396dc9d20f35c9df4a5';
const jwt = 'eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJzc2FzIn0.c2lnbmF0dXJlLXZhbHVlLXRoYXQtaXMtbG9uZw';
/** Never given to the redaction: only what the field, form and scheme rules find hides it. */
const unknown = 'opaque~Secret!Value(42)*with/odd+chars';

/** Every form `unknown` or `secret` could be recognised in, to assert none survives. */
function forms(value: string): string[] {
  return [value, encodeURIComponent(value), new URLSearchParams([['', value]]).toString().slice(1), Buffer.from(value).toString('base64')];
}

const originalSecret = process.env.SESSION_SECRET;
afterEach(() => {
  if (originalSecret === undefined) delete process.env.SESSION_SECRET;
  else process.env.SESSION_SECRET = originalSecret;
});

describe('fingerprint', () => {
  it('SECURITY 15: fingerprints are keyed (HMAC-SHA256 under a key HKDF derives from SESSION_SECRET), never a plain hash', () => {
    const token = 'short-opaque-token';
    process.env.SESSION_SECRET = 'a'.repeat(40);
    const underA = fingerprint(token);
    process.env.SESSION_SECRET = 'b'.repeat(40);
    const underB = fingerprint(token);
    expect(underA.hmacPrefix).toMatch(/^[0-9a-f]{12}$/);
    expect(underA.length).toBe(token.length);
    // The same token under two keys: unrelated fingerprints.
    expect(underB.hmacPrefix).not.toBe(underA.hmacPrefix);
    // It is the HMAC under the derived key, not the password itself and not a plain hash.
    expect(underB.hmacPrefix).toBe(createHmac('sha256', deriveFingerprintKey('b'.repeat(40))).update(token).digest('hex').slice(0, 12));
    expect(underB.hmacPrefix).not.toBe(createHmac('sha256', 'b'.repeat(40)).update(token).digest('hex').slice(0, 12));
    expect(underB.hmacPrefix).not.toBe(createHash('sha256').update(token).digest('hex').slice(0, 12));
    // A rotation map fingerprints with the password that seals now: the highest id.
    process.env.SESSION_SECRET = JSON.stringify({ '1': 'a'.repeat(40), '2': 'b'.repeat(40) });
    expect(fingerprint(token)).toEqual(underB);
    // And the mark in redacted text carries the keyed fingerprint.
    expect(redactText(`x ${token} y`, [token])).toBe(`x [redacted hmac:${underB.hmacPrefix} ${token.length} chars] y`);
  });
});

describe('redactText', () => {
  it('replaces a known secret verbatim, percent-encoded and base64-encoded', () => {
    const encoded = Buffer.from(secret).toString('base64');
    const text = `a ${secret} b ${encodeURIComponent(secret + '/')} c ${encoded}`;
    const out = redactText(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encoded);
    expect(out).toContain(`[redacted hmac:${fingerprint(secret).hmacPrefix}`);
  });

  // One test per place a secret hides (issue #13, 7.2), each with a secret the caller did not name where the
  // place itself says "secret", and a known secret where only the value can tell.
  it('SECURITY 15: a JSON field named for a secret, its value unknown', () => {
    const out = redactText(`{"access_token": "${jwt}", "expires_in": "1200", "token_type":"bearer","refresh_token":"${unknown}"}`);
    for (const form of [...forms(jwt), ...forms(unknown)]) expect(out).not.toContain(form);
    expect(out).toContain('"expires_in": "1200"');
    expect(out).toContain('"token_type":"bearer"');
    expect(out).toMatch(/"refresh_token":"\[redacted hmac:[0-9a-f]{12} 38 chars\]"/);
  });

  it('SECURITY 15: a JSON field inside a JSON string (an upstream echoing a JSON body), its value unknown', () => {
    const echoed = JSON.stringify({ error: 'invalid_client', error_description: `got ${JSON.stringify({ client_id: 'abc', client_secret: unknown })}` });
    const out = redactText(echoed);
    for (const form of forms(unknown)) expect(out).not.toContain(form);
    expect(out).toContain('\\"client_id\\":\\"abc\\"');
    expect(JSON.parse(out)).toMatchObject({ error: 'invalid_client' });
  });

  it('SECURITY 15: a form field named for a secret, its value unknown, even quoted inside JSON', () => {
    const body = `grant_type=client_credentials&client_id=abc&client_secret=${encodeURIComponent(unknown)}`;
    const out = redactText(body);
    expect(out).toContain('grant_type=client_credentials');
    expect(out).toContain('client_id=abc');
    for (const form of forms(unknown)) expect(out).not.toContain(form);
    const quoted = redactText(JSON.stringify({ error_description: `client_secret=${encodeURIComponent(unknown)}` }));
    for (const form of forms(unknown)) expect(quoted).not.toContain(form);
    expect(() => JSON.parse(quoted) as unknown).not.toThrow();
  });

  it('SECURITY 15: a query-string parameter named for a secret, its value unknown', () => {
    const out = redactUrl(`https://x.test/cb?code=${encodeURIComponent(unknown)}&state=xyz&access_token=${encodeURIComponent(jwt)}`);
    expect(out).toContain('state=xyz');
    for (const form of [...forms(unknown), ...forms(jwt)]) expect(out).not.toContain(form);
  });

  it('SECURITY 15: HTTP Basic base64 of client_id:secret, with and without its scheme, at every alignment', () => {
    // Only the secret is known; base64 of `id:secret` does not contain base64(secret), whatever the id's length.
    for (const id of ['a', 'ab', 'abc', '2462c96b-6427-4efb-aed7-118e20c2e997']) {
      const basic = Buffer.from(`${id}:${secret}`).toString('base64');
      const out = redactText(`{"error_description":"credentials ${basic} refused","echo":"Authorization: Basic ${basic}"}`, [secret]);
      expect(out, id).not.toContain(basic);
      for (const form of forms(secret)) expect(out, id).not.toContain(form);
      expect(out, id).toContain('[redacted hmac:');
    }
    // Unknown credentials after the scheme are hidden too.
    const unknownBasic = Buffer.from(`id:${unknown}`).toString('base64');
    expect(redactText(`Authorization: Basic ${unknownBasic}`)).toBe('Authorization: Basic [redacted]');
  });

  it('SECURITY 15: a known secret percent-encoded (RFC 3986 and form encoding) and JSON-escaped', () => {
    const text = `a=${encodeURIComponent(unknown)}&b=${new URLSearchParams([['', unknown]]).toString().slice(1)}&c=${JSON.stringify('x"/' + unknown)}`;
    const out = redactText(text, [unknown]);
    for (const form of forms(unknown)) expect(out).not.toContain(form);
    expect(out).toMatch(/^a=\[redacted hmac:[0-9a-f]{12} 38 chars\]&b=\[redacted hmac:/);
  });

  it('SECURITY 15: a credential after Bearer, Basic or DPoP in free text, unknown', () => {
    const out = redactText(`curl -H "Authorization: Bearer ${jwt}" -H "Authorization: Basic YWJjOmRlZmdoaWpr" -H "Authorization: DPoP ${unknown.slice(0, 12)}"`);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('YWJjOmRlZmdoaWpr');
    expect(out).not.toContain(unknown.slice(0, 12));
    expect(out).toContain('Bearer [redacted]');
    // Prose after a scheme name is not a credential.
    const prose = 'It expects the client credentials in the HTTP Basic Authorization header, or Bearer authentication.';
    expect(redactText(prose)).toBe(prose);
  });

  it('is idempotent', () => {
    const once = redactText(`{"access_token":"${jwt}","x":"\\"client_secret\\":\\"${unknown}\\"","y":"client_secret=${unknown}"}`, [jwt, secret]);
    expect(redactText(once, [jwt, secret])).toBe(once);
  });
});

describe('redactHeaders', () => {
  // One test per sensitive header (issue #13, 7.2): each carries a real secret; none may survive.
  it.each([
    ['Authorization', `Basic ${Buffer.from(`id:${secret}`).toString('base64')}`, 'Basic [redacted]'],
    ['authorization', `Bearer ${jwt}`, 'Bearer [redacted]'],
    ['Authorization', jwt, '[redacted]'],
    ['Proxy-Authorization', `Basic ${Buffer.from(`proxy:${secret}`).toString('base64')}`, 'Basic [redacted]'],
    ['Cookie', `console_session=${secret}; other=1`, '[redacted]'],
    ['Set-Cookie', `console_session=${secret}; Path=/; HttpOnly`, '[redacted]'],
    ['X-API-Key', secret, '[redacted]'],
    ['X-Auth-Token', secret, '[redacted]'],
  ])('SECURITY 15: hides the value of %s', (name, value, expected) => {
    // Not told the secret: the header's name is what hides it.
    const out = redactHeaders([[name, value], ['Accept', 'application/json']]);
    expect(out).toEqual([[name, expected], ['Accept', 'application/json']]);
    for (const form of [...forms(secret), ...forms(jwt)]) expect(JSON.stringify(out)).not.toContain(form);
  });

  it('redacts known secrets inside other headers', () => {
    expect(redactHeaders([['Location', `https://x.test/cb#access_token=${jwt}`], ['X-Echo', `token ${jwt}`]], [jwt])).toEqual([
      ['Location', expect.stringMatching(/^https:\/\/x\.test\/cb#access_token=\[redacted hmac:[0-9a-f]{12} \d+ chars\]$/)],
      ['X-Echo', expect.stringMatching(/^token \[redacted hmac:[0-9a-f]{12} \d+ chars\]$/)],
    ]);
  });
});

describe('redactStrings', () => {
  it('redacts every string of an error body, nested, and keeps its shape', () => {
    const body = {
      error: {
        code: 'upstream_rejected',
        message: `said: Bearer ${jwt}`,
        hint: `client_secret=${unknown}`,
        upstream: { status: 400, body: `{"refresh_token":"${unknown}"}` },
        issues: [{ path: 'a', message: `"password": "${unknown}"` }],
      },
    };
    const out = redactStrings(body);
    for (const form of [...forms(unknown), jwt]) expect(JSON.stringify(out)).not.toContain(form);
    expect(out.error.code).toBe('upstream_rejected');
    expect(out.error.upstream.status).toBe(400);
  });
});

describe('FHIR bodies', () => {
  it('leave FHIR `code` fields alone', () => {
    const oo = '{"issue":[{"severity":"error","code":"forbidden"}]}';
    expect(redactText(oo)).toBe(oo);
  });
});
