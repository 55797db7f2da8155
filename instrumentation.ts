/**
 * Runs once when the server starts: refuse to start in production without SESSION_SECRET, with a clear
 * message, rather than fail on the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { resolveSessionPasswords, SessionSecretError } = await import('./lib/session/secret');
  try {
    resolveSessionPasswords();
  } catch (error) {
    if (!(error instanceof SessionSecretError)) throw error;
    console.error(`\nThe console cannot start: ${error.message}\n`);
    process.exit(1);
  }
}
