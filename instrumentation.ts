/** Runs once when the server starts (Node.js runtime only). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    const { checkStartupConfiguration } = await import('./lib/startup');
    checkStartupConfiguration();
    // After start-up, off the first request's path: the R4 validator the conformance checks use (issue #18).
    const { warmR4Validator } = await import('./lib/conformance/fhir-validation');
    setTimeout(warmR4Validator, 1_000).unref();
  }
}
