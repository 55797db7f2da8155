/** Fixtures every sandbox's unit tests use (not a test file itself). */

/** The origin the tests send their requests on. */
export const testOrigin = 'http://localhost:3000';

/** A controllable clock: `now()` for the sandbox, `advance()` for the test. */
export function createTestClock(startMs = Date.UTC(2026, 7, 21, 20, 44, 1, 705)) {
  let current = startMs;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}

/** An HTTP Basic `Authorization` value of the raw id and secret (no form-encoding first). */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}
