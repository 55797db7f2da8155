import { resolveSessionPasswords, SessionSecretError } from './session/secret';

/**
 * Refuses to start in production without SESSION_SECRET, with a clear message, rather than failing on the
 * first request; in development it generates one and the log says so.
 */
export function checkStartupConfiguration(): void {
  try {
    resolveSessionPasswords();
  } catch (error) {
    if (!(error instanceof SessionSecretError)) throw error;
    console.error(`\nThe console cannot start: ${error.message}\n`);
    process.exit(1);
  }
}
