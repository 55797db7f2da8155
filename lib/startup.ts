import 'server-only';
import { getConsoleAuth } from './auth';
import { ConsoleAuthConfigError } from './auth/config';
import { allowedHosts, ConsoleOriginConfigError } from './http/origin';
import { log } from './log';
import { resolveSessionPasswords, SessionSecretError, usesGeneratedSessionSecret } from './session/secret';

/**
 * Refuses to start with a clear message, rather than failing on the first request: in production without
 * SESSION_SECRET (development generates one and the log says so), or with a half-configured sign-in.
 */
export function checkStartupConfiguration(): void {
  try {
    resolveSessionPasswords();
    if (usesGeneratedSessionSecret()) {
      log.warn('SESSION_SECRET is not set: generated a random session secret for this process. Sessions end when it restarts.');
    }
    const hosts = allowedHosts(process.env);
    const auth = getConsoleAuth();
    console.log(
      auth.enabled
        ? `> Console sign-in: ${auth.providers.map((p) => p.name).join(', ')}; callback ${auth.origin}/api/auth/callback/<${auth.providers.map((p) => p.id).join('|')}>`
        : '> No console sign-in configured: serve this console on localhost only.',
    );
    console.log(`> Answers at ${[...hosts.keys()].join(', ')} (any other Host: 421)`);
  } catch (error) {
    if (!(error instanceof SessionSecretError || error instanceof ConsoleAuthConfigError || error instanceof ConsoleOriginConfigError)) throw error;
    console.error(`\nThe console cannot start: ${error.message}\n`);
    process.exit(1);
  }
}
