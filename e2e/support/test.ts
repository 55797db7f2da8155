import { test as base, expect, type BrowserContext } from '@playwright/test';

/**
 * The suite's `test`: Playwright's, plus a watch on the Content-Security-Policy (SECURITY.md rule 12). Every page
 * of every context reports its `securitypolicyviolation` events, and a test fails on any: a script or style the
 * policy blocks is either an injection the policy stopped or a page the policy breaks — both are bugs.
 */

const violations: string[] = [];

/** Reports every CSP violation of the context's pages into the current test. Contexts made by hand call it too. */
export async function watchContentSecurityPolicy(context: BrowserContext): Promise<void> {
  await context.exposeBinding('__reportCspViolation', (_source, violation: string) => {
    violations.push(violation);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const where = event.sourceFile ? ` (${event.sourceFile}:${event.lineNumber})` : '';
      const report = (window as unknown as { __reportCspViolation?: (v: string) => void }).__reportCspViolation;
      report?.(`${event.effectiveDirective} blocked ${event.blockedURI || 'an inline resource'} on ${event.documentURI}${where}`);
    });
  });
}

export const test = base.extend<{ cspViolations: string[] }>({
  /** The test's violations so far; a test that provokes one on purpose takes it out (`splice`) after checking it. */
  cspViolations: [
    async ({ context }, use) => {
      violations.length = 0;
      await watchContentSecurityPolicy(context);
      await use(violations);
      expect(violations, 'Content-Security-Policy violations in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
