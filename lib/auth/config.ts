import 'server-only';
import { hkdfSync } from 'node:crypto';
import { z } from 'zod';
import { isLoopbackHost } from './bind-address.mjs';

/**
 * Console sign-in, configured by environment variables and validated once at startup: a generic OpenID Connect
 * issuer (a company IdP), GitHub, or both. With none of them set, sign-in is off and the console serves
 * localhost only (./bind-address.mjs refuses a public address).
 */

/** The console's own sign-in page (app/sign-in): next-auth's errors come back there too, as `?error=`. */
export const SIGN_IN_PAGE = '/sign-in';

/** The callback path each sign-in provider must have registered, after NEXTAUTH_URL. */
export const SIGN_IN_CALLBACK_PATH = '/api/auth/callback';

export type SignInProvider =
  | { kind: 'oidc'; id: 'oidc'; name: string; issuer: string; clientId: string; clientSecret: string }
  | { kind: 'github'; id: 'github'; name: 'GitHub'; issuer: typeof GITHUB_ISSUER; clientId: string; clientSecret: string };

export type ConsoleAuthConfig =
  | { enabled: false }
  | {
      enabled: true;
      providers: SignInProvider[];
      /** The console's public origin (NEXTAUTH_URL), where the providers send the user back. */
      origin: string;
      /** Encrypts next-auth's session JWT (NEXTAUTH_SECRET, or derived from SESSION_SECRET). */
      secret: string;
      /** next-auth's `__Secure-` cookie names and the Secure attribute, under https. */
      secureCookies: boolean;
    };

/** GitHub is not an OIDC issuer for OAuth apps; this names where its user ids come from. */
export const GITHUB_ISSUER = 'https://github.com';

export class ConsoleAuthConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Console sign-in is misconfigured:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConsoleAuthConfigError';
  }
}

/** Every variable this module reads; the rest of the environment is none of its business. */
const AUTH_ENV_NAMES = [
  'CONSOLE_AUTH_OIDC_ISSUER',
  'CONSOLE_AUTH_OIDC_CLIENT_ID',
  'CONSOLE_AUTH_OIDC_CLIENT_SECRET',
  'CONSOLE_AUTH_OIDC_NAME',
  'CONSOLE_AUTH_GITHUB_ID',
  'CONSOLE_AUTH_GITHUB_SECRET',
  'NEXTAUTH_URL',
  'NEXTAUTH_SECRET',
] as const;

const blankAsUnset = z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined), z.string().optional());

const authEnvSchema = z.object(Object.fromEntries(AUTH_ENV_NAMES.map((name) => [name, blankAsUnset])) as Record<(typeof AUTH_ENV_NAMES)[number], typeof blankAsUnset>);

/** `https:`, or plain http to a loopback host (a local IdP or a console on this machine). */
function checkWebUrl(name: string, raw: string, problems: string[], { originOnly }: { originOnly: boolean }): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} is not a URL: "${raw}".`);
    return null;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    problems.push(`${name} must use https (plain http only for localhost / 127.0.0.1 / ::1): "${raw}".`);
    return null;
  }
  if (url.search || url.hash || url.username || url.password) {
    problems.push(`${name} must not carry a query, fragment or credentials: "${raw}".`);
    return null;
  }
  if (originOnly && url.pathname !== '/') {
    problems.push(`${name} must be the console's origin only, like https://console.example.com (got the path "${url.pathname}").`);
    return null;
  }
  return url;
}

/**
 * next-auth's secret: NEXTAUTH_SECRET when set, else derived from the session secret's current password with
 * HKDF, so a host configures one secret, not two, and the cookie seal key and the JWT key still differ.
 * Rotating SESSION_SECRET then signs everyone out, which is what a rotation should do.
 */
function deriveNextAuthSecret(sessionPassword: string): string {
  return Buffer.from(hkdfSync('sha256', sessionPassword, '', 'health-oauth-console next-auth session secret', 32)).toString('base64url');
}

/**
 * Reads the sign-in configuration. Throws {@link ConsoleAuthConfigError} naming every bad or missing variable.
 * @param sessionPassword the password SESSION_SECRET seals with now (the highest id), for deriving NEXTAUTH_SECRET.
 */
export function parseConsoleAuthConfig(rawEnv: Partial<Record<string, string>>, sessionPassword: () => string): ConsoleAuthConfig {
  const env = authEnvSchema.parse(rawEnv);
  const problems: string[] = [];
  const providers: SignInProvider[] = [];

  const oidcNames = ['CONSOLE_AUTH_OIDC_ISSUER', 'CONSOLE_AUTH_OIDC_CLIENT_ID', 'CONSOLE_AUTH_OIDC_CLIENT_SECRET'] as const;
  const oidcSet = oidcNames.filter((name) => env[name] !== undefined);
  if (oidcSet.length > 0 || env.CONSOLE_AUTH_OIDC_NAME !== undefined) {
    const missing = oidcNames.filter((name) => env[name] === undefined);
    if (missing.length > 0) {
      problems.push(`OpenID Connect sign-in needs ${oidcNames.join(', ')}; missing ${missing.join(', ')}.`);
    } else {
      const issuer = checkWebUrl('CONSOLE_AUTH_OIDC_ISSUER', env.CONSOLE_AUTH_OIDC_ISSUER!, problems, { originOnly: false });
      if (issuer) {
        providers.push({
          kind: 'oidc',
          id: 'oidc',
          name: env.CONSOLE_AUTH_OIDC_NAME ?? 'single sign-on',
          issuer: env.CONSOLE_AUTH_OIDC_ISSUER!,
          clientId: env.CONSOLE_AUTH_OIDC_CLIENT_ID!,
          clientSecret: env.CONSOLE_AUTH_OIDC_CLIENT_SECRET!,
        });
      }
    }
  }

  const githubNames = ['CONSOLE_AUTH_GITHUB_ID', 'CONSOLE_AUTH_GITHUB_SECRET'] as const;
  if (githubNames.some((name) => env[name] !== undefined)) {
    const missing = githubNames.filter((name) => env[name] === undefined);
    if (missing.length > 0) {
      problems.push(`GitHub sign-in needs ${githubNames.join(' and ')}; missing ${missing.join(', ')}.`);
    } else {
      providers.push({ kind: 'github', id: 'github', name: 'GitHub', issuer: GITHUB_ISSUER, clientId: env.CONSOLE_AUTH_GITHUB_ID!, clientSecret: env.CONSOLE_AUTH_GITHUB_SECRET! });
    }
  }

  if (providers.length === 0 && problems.length === 0) return { enabled: false };

  let origin: URL | null = null;
  if (env.NEXTAUTH_URL === undefined) {
    problems.push(
      `NEXTAUTH_URL is not set: sign-in needs the console's public origin, e.g. https://console.example.com ` +
        `(the providers send users back to <NEXTAUTH_URL>${SIGN_IN_CALLBACK_PATH}/<oidc|github>).`,
    );
  } else {
    origin = checkWebUrl('NEXTAUTH_URL', env.NEXTAUTH_URL, problems, { originOnly: true });
  }
  if (env.NEXTAUTH_SECRET !== undefined && env.NEXTAUTH_SECRET.length < 32) {
    problems.push('NEXTAUTH_SECRET needs at least 32 characters (or leave it unset to derive it from SESSION_SECRET).');
  }
  if (problems.length > 0 || !origin) throw new ConsoleAuthConfigError(problems);

  return {
    enabled: true,
    providers,
    origin: origin.origin,
    secret: env.NEXTAUTH_SECRET ?? deriveNextAuthSecret(sessionPassword()),
    secureCookies: origin.protocol === 'https:',
  };
}

let memo: { key: string; config: ConsoleAuthConfig } | undefined;

/**
 * The configuration of this process, parsed once per distinct set of values (the check runs on every request,
 * and tests change the environment between cases).
 */
export function getConsoleAuthConfig(env: Partial<Record<string, string>>, sessionPassword: () => string): ConsoleAuthConfig {
  const key = JSON.stringify([...AUTH_ENV_NAMES, 'SESSION_SECRET'].map((name) => env[name] ?? null));
  if (memo?.key !== key) memo = { key, config: parseConsoleAuthConfig(env, sessionPassword) };
  return memo.config;
}
