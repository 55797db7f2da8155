import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger(stream, 'info'), text: () => lines.join('') };
}

const ACCESS = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const OPAQUE = 'opaque-access-token-0123456789';
const SECRET = 'client-secret-0123456789abcdef';

describe('log redaction', () => {
  it('SECURITY 11: hides headers, cookies, Authorization and token fields at any usual depth, and credentials inside strings', () => {
    const { logger, text } = capture();
    logger.info({ authorization: `Bearer ${OPAQUE}`, cookie: 'console_session=Fe26.2**abc' }, 'top level');
    logger.info({ headers: { Authorization: `Basic ${Buffer.from(`id:${SECRET}`).toString('base64')}`, 'set-cookie': 'a=b', accept: 'application/json' } }, 'headers');
    logger.info({ req: { headers: { cookie: 'console_session=secret-cookie-value', 'x-api-key': SECRET } } }, 'nested headers');
    logger.info({ token: { access_token: ACCESS, refresh_token: OPAQUE, id_token: ACCESS, client_secret: SECRET, code_verifier: 'v'.repeat(43) } }, 'fields');
    logger.info({ stored: { accessToken: OPAQUE, refreshToken: OPAQUE, clientSecret: SECRET } }, 'camelCase');
    logger.error({ err: { message: `upstream said: Authorization: Bearer ${OPAQUE}` } }, 'error text');
    logger.warn(`token request failed: client_secret=${SECRET}&grant_type=client_credentials`);
    logger.info({ body: `{"access_token":"${OPAQUE}","token_type":"Bearer"}` }, 'json in a string');
    const out = text();
    for (const secret of [ACCESS, OPAQUE, SECRET, 'secret-cookie-value', 'Fe26.2**abc', 'v'.repeat(43), Buffer.from(`id:${SECRET}`).toString('base64')]) {
      expect(out).not.toContain(secret);
    }
    expect(out).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    expect(out).not.toMatch(/Bearer\s+(?!\[redacted)[A-Za-z0-9._~+/-]{8,}/);
    // Still structured and still useful: one JSON object a line, the harmless parts kept.
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatchObject({ msg: 'headers', headers: { accept: 'application/json', Authorization: '[redacted]' } });
    expect(lines[5]).toMatchObject({ level: 50, msg: 'error text' });
  });
});
