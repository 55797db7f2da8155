import { describe, expect, it } from 'vitest';
import { clearSessionCookie, clearTransactionCookie, newSessionCookie, readSessionCookie, serializeSessionCookie, serializeTransactionCookie } from './cookie';
import { parseSessionSecret, resolveSessionPasswords, SessionSecretError } from './secret';

const passwords = { '1': 'a'.repeat(32) };

describe('session cookie', () => {
  it('SECURITY 2: holds only a sealed id, with HttpOnly, SameSite=Lax, Path=/ and no Domain, well under 4 KB', async () => {
    const session = newSessionCookie(123);
    const header = await serializeSessionCookie(session, false, passwords);
    expect(header).toMatch(/^console_session=Fe26\.2\*/);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Lax');
    expect(header).toContain('Path=/');
    expect(header).not.toMatch(/Domain=/i);
    expect(header).not.toContain('Secure');
    expect(header.length).toBeLessThan(600);
    expect(header).not.toContain(session.handle);
    const value = header.split(';')[0]!;
    expect(await readSessionCookie(`other=1; ${value}`, false, passwords)).toEqual(session);
  });

  it('SECURITY 2: uses the __Host- prefix and Secure under https', async () => {
    const header = await serializeSessionCookie(newSessionCookie(), true, passwords);
    expect(header).toMatch(/^__Host-console_session=/);
    expect(header).toContain('Secure');
    expect(clearSessionCookie(true)).toContain('Max-Age=0');
  });

  it('SECURITY 2: the transaction cookie is sealed, HttpOnly, SameSite=Lax, host-only, 10 minutes, __Host- and Secure under https, and deleted by its clear', async () => {
    for (const secure of [false, true]) {
      const header = await serializeTransactionCookie('bluebutton', 'the-state-value-0123456789', secure, passwords);
      expect(header).toMatch(secure ? /^__Host-console_tx_bluebutton=Fe26\.2\*/ : /^console_tx_bluebutton=Fe26\.2\*/);
      expect(header).not.toContain('the-state-value');
      for (const attribute of ['Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=600']) expect(header).toContain(attribute);
      expect(header).not.toMatch(/Domain=/i);
      expect(header.includes('Secure')).toBe(secure);
      expect(header.length).toBeLessThan(4096);
      expect(clearTransactionCookie('bluebutton', secure)).toMatch(new RegExp(`^${secure ? '__Host-' : ''}console_tx_bluebutton=;.*Max-Age=0`));
    }
  });

  it('SECURITY 10: reads a tampered cookie or one sealed with a retired password as no session', async () => {
    const value = (await serializeSessionCookie(newSessionCookie(), false, passwords)).split(';')[0]!;
    // Read once first: an opened cookie is remembered, and that must not outlive its password.
    expect(await readSessionCookie(value, false, passwords)).not.toBeNull();
    const tampered = value.slice(0, -3) + (value.endsWith('A') ? 'BBB' : 'AAA');
    expect(await readSessionCookie(tampered, false, passwords)).toBeNull();
    expect(await readSessionCookie(value, false, { '2': 'b'.repeat(32) })).toBeNull();
    expect(await readSessionCookie('console_session=garbage', false, passwords)).toBeNull();
  });

  it('SECURITY 10: unseals with an older password of a rotation map and seals with the newest', async () => {
    const old = (await serializeSessionCookie(newSessionCookie(), false, passwords)).split(';')[0]!;
    const rotated = { '2': 'b'.repeat(32), '1': 'a'.repeat(32) };
    expect(await readSessionCookie(old, false, rotated)).not.toBeNull();
    const fresh = (await serializeSessionCookie(newSessionCookie(), false, rotated)).split(';')[0]!;
    expect(await readSessionCookie(fresh, false, passwords)).toBeNull();
  });
});

describe('SESSION_SECRET', () => {
  it('accepts a long password or a JSON rotation map', () => {
    expect(parseSessionSecret('k'.repeat(32))).toEqual({ '1': 'k'.repeat(32) });
    expect(parseSessionSecret(JSON.stringify({ 2: 'n'.repeat(32), 1: 'o'.repeat(32) }))).toEqual({ '2': 'n'.repeat(32), '1': 'o'.repeat(32) });
  });
  it.each(['short', '{"1":"short"}', '{not json', '{}'])('refuses %s with a clear message', (raw) => {
    expect(() => parseSessionSecret(raw)).toThrow(SessionSecretError);
  });
  it('generates one outside production and refuses in production', () => {
    expect(Object.values(resolveSessionPasswords({ NODE_ENV: 'development' }))[0]).toHaveLength(64);
    expect(() => resolveSessionPasswords({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET is not set/);
  });
});
