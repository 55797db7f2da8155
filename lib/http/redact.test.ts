import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveFingerprintKey } from './fingerprint';
import { fingerprint, redactHeaders, redactText, redactUrl } from './redact';

const secret = '825598c105bd1fe021c9eb9d41b30e82beb7a505a1184282e69891f76aa0a396dc9d20f35c9df4a5';
const jwt = 'eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJzc2FzIn0.c2lnbmF0dXJlLXZhbHVlLXRoYXQtaXMtbG9uZw';

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

  it('replaces the values of secret-named JSON fields even when the value is unknown', () => {
    const body = `{"access_token": "${jwt}", "expires_in": "1200", "token_type":"bearer","refresh_token":"r-123456"}`;
    const out = redactText(body);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('r-123456');
    expect(out).toContain('"expires_in": "1200"');
    expect(out).toContain('"token_type":"bearer"');
  });

  it('replaces secret-named form fields and keeps the others', () => {
    const out = redactText('grant_type=client_credentials&client_id=abc&client_secret=s3cr3t-value');
    expect(out).toContain('grant_type=client_credentials');
    expect(out).toContain('client_id=abc');
    expect(out).not.toContain('s3cr3t-value');
  });

  it('replaces credentials after Bearer and Basic in free text', () => {
    const out = redactText(`curl -H "Authorization: Bearer ${jwt}" -H "Authorization: Basic YWJjOmRlZmdoaWpr"`);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('YWJjOmRlZmdoaWpr');
    expect(out).toContain('Bearer [redacted]');
  });

  it('is idempotent', () => {
    const once = redactText(`{"access_token":"${jwt}"}`, [jwt]);
    expect(redactText(once, [jwt])).toBe(once);
  });
});

describe('redactHeaders', () => {
  it('keeps the scheme of Authorization and hides cookies', () => {
    const out = redactHeaders([
      ['Authorization', `Basic ${Buffer.from(`id:${secret}`).toString('base64')}`],
      ['Cookie', 'console_session=abc'],
      ['Accept', 'application/json'],
    ]);
    expect(out).toEqual([
      ['Authorization', 'Basic [redacted]'],
      ['Cookie', '[redacted]'],
      ['Accept', 'application/json'],
    ]);
  });
});

describe('redactUrl', () => {
  it('hides secret query parameters', () => {
    const out = redactUrl('https://x.test/cb?code=abcdef123&state=xyz&access_token=tok123456');
    expect(out).toContain('state=xyz');
    expect(out).not.toContain('abcdef123');
    expect(out).not.toContain('tok123456');
  });
});

describe('FHIR bodies', () => {
  it('leave FHIR `code` fields alone', () => {
    const oo = '{"issue":[{"severity":"error","code":"forbidden"}]}';
    expect(redactText(oo)).toBe(oo);
  });
});
