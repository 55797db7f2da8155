// Which address the production server binds. Plain JavaScript because scripts/server.mjs reads it before Next
// (and TypeScript) are loaded; lib/auth/config.ts shares isLoopbackHost.

/** The address the console binds when nothing is asked: this machine only. */
export const DEFAULT_BIND_ADDRESS = '127.0.0.1';

/** localhost, 127.0.0.0/8 and ::1 (bracketed or not, IPv4-mapped too). */
export function isLoopbackHost(host) {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(v4);
}

/** Whether the environment asks for console sign-in; lib/auth/config.ts validates the details at startup. */
export function signInRequested(env) {
  return Object.entries(env).some(([name, value]) => name.startsWith('CONSOLE_AUTH_') && typeof value === 'string' && value.trim() !== '');
}

/**
 * The address to bind: HOSTNAME_BIND, or 127.0.0.1. Without sign-in anyone who can reach the console could use
 * its tokens and sessions, so a non-loopback address without sign-in is refused with what to do instead.
 * @returns `{ hostname }` or `{ error }` (a message for a person).
 */
export function resolveBindAddress(env) {
  const asked = env.HOSTNAME_BIND?.trim();
  const hostname = asked || DEFAULT_BIND_ADDRESS;
  if (isLoopbackHost(hostname) || signInRequested(env)) return { hostname };
  return {
    error:
      `HOSTNAME_BIND=${hostname} would make the console reachable from other machines, and no sign-in is configured, ` +
      'so anyone who can reach it could use its sessions and tokens.\n' +
      'Configure sign-in first:\n' +
      '  - a company IdP (OpenID Connect): CONSOLE_AUTH_OIDC_ISSUER, CONSOLE_AUTH_OIDC_CLIENT_ID, CONSOLE_AUTH_OIDC_CLIENT_SECRET\n' +
      '  - or GitHub: CONSOLE_AUTH_GITHUB_ID, CONSOLE_AUTH_GITHUB_SECRET\n' +
      '  - and NEXTAUTH_URL, the console\'s public origin (e.g. https://console.example.com)\n' +
      'or leave HOSTNAME_BIND unset to serve this machine only (http://localhost).',
  };
}
