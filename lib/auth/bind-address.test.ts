import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveBindAddress } from './bind-address.mjs';

describe('resolveBindAddress', () => {
  it('binds 127.0.0.1 when nothing is asked, with or without sign-in', () => {
    expect(resolveBindAddress({})).toEqual({ hostname: '127.0.0.1' });
    expect(resolveBindAddress({ HOSTNAME_BIND: ' ' })).toEqual({ hostname: '127.0.0.1' });
    expect(resolveBindAddress({ CONSOLE_AUTH_GITHUB_ID: 'gh' })).toEqual({ hostname: '127.0.0.1' });
  });

  it('allows any loopback address without sign-in', () => {
    for (const host of ['localhost', '127.0.0.1', '127.0.1.1', '::1', '[::1]']) {
      expect(resolveBindAddress({ HOSTNAME_BIND: host })).toEqual({ hostname: host });
    }
  });

  it('refuses a public or LAN address without sign-in, saying how to configure it', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.5', 'console.example.com', '128.0.0.1']) {
      const result = resolveBindAddress({ HOSTNAME_BIND: host });
      expect(result.hostname, host).toBeUndefined();
      expect(result.error).toContain(`HOSTNAME_BIND=${host}`);
      expect(result.error).toContain('CONSOLE_AUTH_OIDC_ISSUER');
      expect(result.error).toContain('CONSOLE_AUTH_GITHUB_ID');
      expect(result.error).toContain('NEXTAUTH_URL');
    }
  });

  it('allows a public address once sign-in is asked for (its configuration is checked at startup)', () => {
    expect(resolveBindAddress({ HOSTNAME_BIND: '0.0.0.0', CONSOLE_AUTH_OIDC_ISSUER: 'https://idp.example.com' })).toEqual({ hostname: '0.0.0.0' });
    expect(resolveBindAddress({ HOSTNAME_BIND: '0.0.0.0', CONSOLE_AUTH_OIDC_ISSUER: '' }).error).toBeDefined();
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback from the rest', () => {
    expect(['localhost', 'app.localhost', '127.0.0.1', '127.255.255.254', '::1', '[::1]', '::ffff:127.0.0.1', 'LOCALHOST'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '127.0.0.256', '1.2.3.4', 'localhost.example.com', '::ffff:10.0.0.1', ''].some(isLoopbackHost)).toBe(false);
  });
});
