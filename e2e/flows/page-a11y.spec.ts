import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { choose } from '../support/console';
import { expect, test } from '../support/test';

/**
 * Issue #16: the page's main states pass axe (WCAG 2.1 A and AA) in light and dark, and nothing scrolls sideways at
 * 390 px. Screenshots of each state land in test-results/screenshots/a11y-… to be looked at.
 */

const axeSource = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.flatMap((v) => v.nodes.map((node) => `${v.id}: ${node.target.join(' ')} — ${node.failureSummary?.split('\n')[1]?.trim() ?? v.help}`));
}

/** The states a demo passes through, each reached from the one before. */
const states: { name: string; reach: (page: Page) => Promise<void> }[] = [
  { name: 'start', reach: async (page) => choose(page, 'bcda', 'extra-small') },
  {
    name: 'token',
    reach: async (page) => {
      await page.getByTestId('get-token').click();
      await expect(page.getByTestId('claims-table')).toBeVisible();
    },
  },
  {
    name: 'fhir-response',
    reach: async (page) => {
      await page.getByTestId('fhir-panel').getByRole('button', { name: 'CapabilityStatement', exact: true }).click();
      await page.getByTestId('fhir-send').click();
      await expect(page.getByTestId('fhir-response-body')).toContainText('CapabilityStatement');
    },
  },
  {
    // What a reader unfolds: the claims as raw JSON, a timeline row, the failure switches.
    name: 'details-open',
    reach: async (page) => {
      const panel = page.getByTestId('token-panel');
      await panel.getByText('Raw JSON').nth(1).click();
      await expect(page.getByTestId('jwt-claims-json')).toBeVisible();
      const row = page.getByTestId('timeline').locator('[data-testid="timeline-row"]').first();
      await row.locator('summary').first().click();
      await expect(row.getByTestId('copy-curl')).toBeVisible();
      await page.getByTestId('failure-simulation').locator('summary').first().click();
      await expect(page.getByTestId('failure-simulation').getByLabel('Invalid client', { exact: true })).toBeVisible();
    },
  },
  {
    name: 'token-error',
    reach: async (page) => {
      await page.getByLabel('Credential set').selectOption('custom');
      await page.getByLabel('Client ID').fill('2462c96b-6427-4efb-aed7-118e20c2e997');
      await page.getByLabel('Client secret').fill('not-the-right-secret-0123456789');
      await page.getByTestId('get-token').click();
      await expect(page.getByTestId('token-error')).toBeVisible();
    },
  },
  {
    name: 'other-credential-examples',
    reach: async (page) => {
      await page.getByLabel('Provider', { exact: true }).selectOption('1uphealth');
      await page.getByLabel('Credential set').selectOption('provider-access');
      await expect(page.getByTestId('fhir-examples-elsewhere')).toBeVisible();
    },
  },
];

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds nothing in the main states, ${scheme}, and nothing scrolls sideways at 390 px`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: scheme });
    const found: string[] = [];
    for (const state of states) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await state.reach(page);
      await page.waitForTimeout(300);
      found.push(...(await axeViolations(page)).map((v) => `${state.name}: ${v}`));
      await page.screenshot({ path: `test-results/screenshots/a11y-${state.name}-1440-${scheme}.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(200);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) found.push(`${state.name}: the page scrolls sideways by ${overflow} px at 390 px`);
      await page.screenshot({ path: `test-results/screenshots/a11y-${state.name}-390-${scheme}.png`, fullPage: true });
    }
    expect(found).toEqual([]);
  });
}

test('the theme toggle chooses over the system, survives a reload, and renders with no flash', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const toggle = page.getByTestId('theme-toggle');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await expect(toggle).toHaveText('Theme: system');
  await toggle.click(); // light
  await toggle.click(); // dark
  await expect(toggle).toHaveText('Theme: dark');
  expect(await background()).not.toBe(light);
  await page.reload();
  // Rendered by the server from the cookie: dark before any script runs.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background()).not.toBe(light);
  await toggle.click(); // system again
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(await background()).toBe(light);
});
