import { describe, expect, it } from 'vitest';
import { allowedHosts, checkHost, consoleOrigin, ConsoleOriginConfigError, isSecureRequest, MisdirectedRequestError } from './origin';

const req = (headers: Record<string, string>) => new Request('http://0.0.0.0:3000/api/x', { headers });

describe('the console’s own addresses (DNS rebinding)', () => {
  it('SECURITY 13: answers loopback on its port, and the configured public names, nothing else', () => {
    const env = { PORT: '3100', CONSOLE_PUBLIC_ORIGIN: 'https://console.example.com', NEXTAUTH_URL: 'https://login.example.com:8443' };
    for (const host of ['localhost:3100', '127.0.0.1:3100', '[::1]:3100', 'LOCALHOST:3100', 'console.example.com', 'login.example.com:8443']) {
      expect(checkHost(host, null, env), host).toMatchObject({ ok: true });
    }
    for (const host of [
      'rebind.attacker.example:3100',
      'localhost:3000',
      '127.0.0.1',
      'localhost.:3100',
      '127.0.0.2:3100',
      '0.0.0.0:3100',
      'console.example.com:3100',
      'console.example.com.attacker.example',
      'localhost:3100@evil.example',
      '',
    ]) {
      expect(checkHost(host, null, env), host).toMatchObject({ ok: false });
    }
    expect(checkHost(null, null, env)).toEqual({ ok: false, reason: 'the request has no Host header' });
  });

  it('SECURITY 13: the origin comes from configuration; a Host only picks one of the configured origins', () => {
    const env = { PORT: '3000', CONSOLE_PUBLIC_ORIGIN: 'https://console.example.com' };
    expect(consoleOrigin(req({ host: 'localhost:3000' }), env)).toBe('http://localhost:3000');
    expect(consoleOrigin(req({ host: 'console.example.com' }), env)).toBe('https://console.example.com');
    expect(() => consoleOrigin(req({ host: 'rebind.attacker.example:3000' }), env)).toThrow(MisdirectedRequestError);
  });

  it('SECURITY 13: X-Forwarded-Proto counts only with TRUST_PROXY=1, and never overrides a configured origin', () => {
    const forwarded = req({ host: 'localhost:3000', 'x-forwarded-proto': 'https' });
    expect(consoleOrigin(forwarded, {})).toBe('http://localhost:3000');
    expect(isSecureRequest(forwarded, {})).toBe(false);
    expect(consoleOrigin(forwarded, { TRUST_PROXY: '1' })).toBe('https://localhost:3000');
    expect(isSecureRequest(forwarded, { TRUST_PROXY: '1' })).toBe(true);
    const configured = req({ host: 'console.example.com', 'x-forwarded-proto': 'http' });
    expect(consoleOrigin(configured, { TRUST_PROXY: '1', CONSOLE_PUBLIC_ORIGIN: 'https://console.example.com' })).toBe('https://console.example.com');
  });

  it('takes CONSOLE_ALLOWED_HOSTS as names or origins, and the internal origin the server calls itself at', () => {
    const env = { CONSOLE_ALLOWED_HOSTS: 'devbox.lan:3000, https://tunnel.example.dev', CONSOLE_INTERNAL_ORIGIN: 'http://10.0.0.5:3000' };
    expect(checkHost('devbox.lan:3000', null, env)).toEqual({ ok: true, origin: 'http://devbox.lan:3000' });
    expect(checkHost('tunnel.example.dev', null, env)).toEqual({ ok: true, origin: 'https://tunnel.example.dev' });
    expect(checkHost('10.0.0.5:3000', null, env)).toEqual({ ok: true, origin: 'http://10.0.0.5:3000' });
    expect(checkHost('devbox.lan', null, env)).toMatchObject({ ok: false });
  });

  it('names every unusable address setting', () => {
    expect(() => allowedHosts({ CONSOLE_PUBLIC_ORIGIN: 'console.example.com', CONSOLE_ALLOWED_HOSTS: 'a/b, ok.example', PORT: 'x' })).toThrow(ConsoleOriginConfigError);
    try {
      allowedHosts({ CONSOLE_PUBLIC_ORIGIN: 'ftp://console.example.com', CONSOLE_ALLOWED_HOSTS: 'a/b' });
    } catch (error) {
      expect((error as ConsoleOriginConfigError).problems).toEqual([
        expect.stringContaining('CONSOLE_PUBLIC_ORIGIN'),
        expect.stringContaining('CONSOLE_ALLOWED_HOSTS'),
      ]);
    }
  });
});
