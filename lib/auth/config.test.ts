import { describe, expect, it } from 'vitest';
import { ConsoleAuthConfigError, parseConsoleAuthConfig } from './config';

const sessionPassword = () => 'a-session-password-of-at-least-32-characters';
const oidc = {
  CONSOLE_AUTH_OIDC_ISSUER: 'https://idp.example.com/realms/staff',
  CONSOLE_AUTH_OIDC_CLIENT_ID: 'console',
  CONSOLE_AUTH_OIDC_CLIENT_SECRET: 'idp-client-secret',
  NEXTAUTH_URL: 'https://console.example.com',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConsoleAuthConfig(env, sessionPassword);
  } catch (error) {
    if (error instanceof ConsoleAuthConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConsoleAuthConfigError');
}

describe('parseConsoleAuthConfig', () => {
  it('is off when no CONSOLE_AUTH_ variable is set (blank ones count as unset)', () => {
    expect(parseConsoleAuthConfig({}, sessionPassword)).toEqual({ enabled: false });
    expect(parseConsoleAuthConfig({ CONSOLE_AUTH_GITHUB_ID: '  ', NEXTAUTH_URL: 'https://x.example' }, sessionPassword)).toEqual({ enabled: false });
  });

  it('reads a generic OIDC issuer, with a default display name', () => {
    const config = parseConsoleAuthConfig(oidc, sessionPassword);
    expect(config).toMatchObject({
      enabled: true,
      origin: 'https://console.example.com',
      secureCookies: true,
      providers: [{ kind: 'oidc', id: 'oidc', name: 'single sign-on', issuer: oidc.CONSOLE_AUTH_OIDC_ISSUER, clientId: 'console', clientSecret: 'idp-client-secret' }],
    });
  });

  it('reads GitHub, and both providers together', () => {
    const config = parseConsoleAuthConfig({ ...oidc, CONSOLE_AUTH_OIDC_NAME: 'Acme SSO', CONSOLE_AUTH_GITHUB_ID: 'gh-id', CONSOLE_AUTH_GITHUB_SECRET: 'gh-secret' }, sessionPassword);
    expect(config.enabled && config.providers.map((p) => [p.id, p.name, p.issuer])).toEqual([
      ['oidc', 'Acme SSO', oidc.CONSOLE_AUTH_OIDC_ISSUER],
      ['github', 'GitHub', 'https://github.com'],
    ]);
  });

  it('names every missing variable of a half-configured provider', () => {
    expect(problemsOf({ CONSOLE_AUTH_OIDC_ISSUER: oidc.CONSOLE_AUTH_OIDC_ISSUER, NEXTAUTH_URL: oidc.NEXTAUTH_URL })).toEqual([
      expect.stringContaining('missing CONSOLE_AUTH_OIDC_CLIENT_ID, CONSOLE_AUTH_OIDC_CLIENT_SECRET'),
    ]);
    expect(problemsOf({ CONSOLE_AUTH_OIDC_NAME: 'Acme', NEXTAUTH_URL: oidc.NEXTAUTH_URL })[0]).toContain('missing CONSOLE_AUTH_OIDC_ISSUER');
    expect(problemsOf({ CONSOLE_AUTH_GITHUB_SECRET: 's', NEXTAUTH_URL: oidc.NEXTAUTH_URL })[0]).toContain('missing CONSOLE_AUTH_GITHUB_ID');
  });

  it('needs NEXTAUTH_URL as a bare origin, https unless loopback', () => {
    expect(problemsOf({ ...oidc, NEXTAUTH_URL: '' })[0]).toMatch(/NEXTAUTH_URL is not set.*\/api\/auth\/callback/);
    expect(problemsOf({ ...oidc, NEXTAUTH_URL: 'http://console.example.com' })[0]).toContain('must use https');
    expect(problemsOf({ ...oidc, NEXTAUTH_URL: 'https://console.example.com/console' })[0]).toContain('origin only');
    expect(problemsOf({ ...oidc, NEXTAUTH_URL: 'not a url' })[0]).toContain('is not a URL');
    const local = parseConsoleAuthConfig({ ...oidc, NEXTAUTH_URL: 'http://localhost:3111/' }, sessionPassword);
    expect(local).toMatchObject({ origin: 'http://localhost:3111', secureCookies: false });
  });

  it('refuses a plain-http issuer except on loopback', () => {
    expect(problemsOf({ ...oidc, CONSOLE_AUTH_OIDC_ISSUER: 'http://idp.example.com' })[0]).toContain('CONSOLE_AUTH_OIDC_ISSUER must use https');
    expect(problemsOf({ ...oidc, CONSOLE_AUTH_OIDC_ISSUER: 'https://idp.example.com/?tenant=1' })[0]).toContain('must not carry a query');
    for (const issuer of ['http://127.0.0.1:4455', 'http://localhost:4455/oidc', 'http://[::1]:4455']) {
      expect(parseConsoleAuthConfig({ ...oidc, CONSOLE_AUTH_OIDC_ISSUER: issuer }, sessionPassword).enabled).toBe(true);
    }
  });

  it('derives NEXTAUTH_SECRET from the session password unless set, and refuses a short one', () => {
    const derived = parseConsoleAuthConfig(oidc, sessionPassword);
    const again = parseConsoleAuthConfig(oidc, sessionPassword);
    const other = parseConsoleAuthConfig(oidc, () => 'another-session-password-of-32-characters!');
    expect(derived.enabled && derived.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(derived.enabled && derived.secret).not.toBe(sessionPassword());
    expect(derived.enabled && derived.secret).toBe(again.enabled && again.secret);
    expect(derived.enabled && derived.secret).not.toBe(other.enabled && other.secret);

    const explicit = parseConsoleAuthConfig({ ...oidc, NEXTAUTH_SECRET: 'x'.repeat(32) }, sessionPassword);
    expect(explicit.enabled && explicit.secret).toBe('x'.repeat(32));
    expect(problemsOf({ ...oidc, NEXTAUTH_SECRET: 'short' })[0]).toContain('NEXTAUTH_SECRET needs at least 32 characters');
  });

  it('says everything wrong at once, and never echoes a secret', () => {
    const problems = problemsOf({ CONSOLE_AUTH_OIDC_CLIENT_SECRET: 'do-not-print-me', CONSOLE_AUTH_GITHUB_ID: 'gh', NEXTAUTH_URL: 'ftp://x' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toContain('do-not-print-me');
  });
});
