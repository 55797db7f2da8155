/** Runs once when the server starts (Node.js runtime only). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    const { checkStartupConfiguration } = await import('./lib/startup');
    checkStartupConfiguration();
  }
}
