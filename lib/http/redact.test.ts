import { describe, expect, it } from 'vitest';
import { fingerprint, redactHeaders, redactText, redactUrl } from './redact';

const secret = '825598c105bd1fe021c9eb9d41b30e82beb7a505a1184282e69891f76aa0a396dc9d20f35c9df4a5';
const jwt = 'eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJzc2FzIn0.c2lnbmF0dXJlLXZhbHVlLXRoYXQtaXMtbG9uZw';

describe('redactText', () => {
  it('replaces a known secret verbatim, percent-encoded and base64-encoded', () => {
    const encoded = Buffer.from(secret).toString('base64');
    const text = `a ${secret} b ${encodeURIComponent(secret + '/')} c ${encoded}`;
    const out = redactText(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encoded);
    expect(out).toContain(`[redacted sha256:${fingerprint(secret).sha256Prefix}`);
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
