/**
 * The Inferno test each check mirrors: the suite's id and the test's title as the kit names it
 * (inferno-framework/smart-app-launch-test-kit, SMART App Launch STU2.2; inferno-framework/bulk-data-test-kit, v2.0.0).
 */
export const INFERNO_TESTS: Record<string, { suite: string; test: string } | undefined> = {};
