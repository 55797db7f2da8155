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

/** `init` with `X-Console-Simulate: <failures>` added, as the console's BFF sends it to a built-in sandbox. */
export function simulating(failures: string, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('X-Console-Simulate', failures);
  return { ...init, headers };
}
