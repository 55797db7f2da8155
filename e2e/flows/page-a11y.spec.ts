import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { choose, signInAtBlueButton, signInAtHealthSherpa } from '../support/console';
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
      await page.getByTestId('failure-simulation-open').click();
      await expect(page.getByRole('dialog', { name: 'Simulate a failure' }).getByLabel('Invalid client', { exact: true })).toBeVisible();
    },
  },
  {
    // The sequence diagram with a step picked: arrows, the steps' citations, the exchange (issue #17).
    name: 'sequence-diagram',
    reach: async (page) => {
      if (await page.getByRole('dialog', { name: 'Simulate a failure' }).isVisible()) {
        await page.keyboard.press('Escape');
      }
      await page.getByTestId('show-sequence-diagram').click();
      const diagram = page.getByTestId('flow-diagram');
      await diagram.getByTestId('sequence-arrow').first().click();
      await expect(diagram.getByTestId('diagram-exchange')).toBeVisible();
      await page.getByTestId('failure-simulation-open').click();
      await expect(page.getByRole('dialog', { name: 'Simulate a failure' })).toBeVisible();
    },
  },
  {
    name: 'token-error',
    reach: async (page) => {
      // Escape closes the drawer and gives focus back to the button that opened it.
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog', { name: 'Simulate a failure' })).toBeHidden();
      await expect(page.getByTestId('failure-simulation-open')).toBeFocused();
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
      // A card's title squeezed by its buttons reads a word a line.
      const squeezed = await page.evaluate(() =>
        [...document.querySelectorAll('section > header > div:first-child')]
          .filter((title) => title.getBoundingClientRect().width > 0 && title.getBoundingClientRect().width < 180)
          .map((title) => (title.textContent ?? '').slice(0, 30)),
      );
      for (const title of squeezed) found.push(`${state.name}: the title “${title}” is squeezed narrower than 180 px at 390 px`);
      await page.screenshot({ path: `test-results/screenshots/a11y-${state.name}-390-${scheme}.png`, fullPage: true });
    }
    expect(found).toEqual([]);
  });
}

test('axe finds nothing in the authorization-code states: Authorize with the sandbox logins, an opaque token back from consent, a denied consent', async ({ page }) => {
  test.setTimeout(90_000);
  const found: string[] = [];
  const check = async (state: string) => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(150);
      found.push(...(await axeViolations(page)).map((v) => `${state} (${scheme}): ${v}`));
    }
    await page.screenshot({ path: `test-results/screenshots/a11y-${state}-1440.png`, fullPage: true });
  };
  await page.setViewportSize({ width: 1440, height: 900 });
  await choose(page, 'bluebutton', 'demo-demographic');
  await expect(page.getByTestId('sandbox-users')).toBeVisible();
  await check('authorize');

  await signInAtBlueButton(page);
  await expect(page.getByTestId('token-facts')).toBeVisible();
  await page.getByTestId('introspect').click();
  await expect(page.getByTestId('introspection')).toContainText('active');
  await page.getByTestId('show-sequence-diagram').click();
  await expect(page.getByTestId('flow-diagram').getByTestId('sequence-note')).not.toHaveCount(0);
  await check('opaque-token');

  await choose(page, 'healthsherpa', 'demo-partner-app');
  await signInAtHealthSherpa(page);
  await page.getByRole('button', { name: 'Deny' }).click();
  await expect(page.getByTestId('flow-error')).toBeVisible();
  await check('consent-denied');
  expect(found).toEqual([]);
});

test('axe finds nothing in presenter mode and in Export as code, light and dark, at 1440 and 390 px', async ({ page }) => {
  test.setTimeout(60_000);
  const found: string[] = [];
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
  await page.getByTestId('show-sequence-diagram').click();
  for (const [width, height] of [[1440, 900], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByTestId('presenter-open').click();
      await expect(page.getByTestId('presenter')).toBeVisible();
      await page.keyboard.press('ArrowRight');
      found.push(...(await axeViolations(page)).map((v) => `presenter (${scheme}, ${width}): ${v}`));
      await page.screenshot({ path: `test-results/screenshots/presenter-${width}-${scheme}.png` });
      await page.keyboard.press('Escape');
      await page.getByTestId('export-code').click();
      await expect(page.getByTestId('export-code-text')).toContainText('CLIENT_SECRET');
      found.push(...(await axeViolations(page)).map((v) => `export code (${scheme}, ${width}): ${v}`));
      await page.screenshot({ path: `test-results/screenshots/export-code-${width}-${scheme}.png` });
      await page.getByTestId('export-code-close').click();
    }
  }
  expect(found).toEqual([]);
});

test('axe finds nothing in Check this server with its results, a timeline row’s checks and the marked sequence diagram open, light and dark, at 1440 and 390 px', async ({ page }) => {
  test.setTimeout(60_000);
  const found: string[] = [];
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
  await page.getByTestId('check-server-open').click();
  await page.getByTestId('check-server-run').click();
  await expect(page.getByTestId('conformance-summary')).toBeVisible({ timeout: 30_000 });
  const judged = page.getByTestId('timeline-row').filter({ has: page.locator('[data-testid=exchange-conformance][data-outcome=known]') }).first();
  await judged.locator('summary').first().click();
  await expect(judged.getByTestId('exchange-check').first()).toBeVisible();
  // The diagram with its conformance marks, open beside them; at 390 px its drawing scrolls sideways by keyboard too.
  await page.getByTestId('show-sequence-diagram').click();
  await expect(page.locator('[data-testid=sequence-arrow][data-conformance]').first()).toBeVisible();
  for (const [width, height] of [[1440, 900], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      found.push(...(await axeViolations(page)).map((v) => `check this server (${scheme}, ${width}): ${v}`));
      await page.getByTestId('conformance-panel').screenshot({ path: `test-results/screenshots/conformance-${width}-${scheme}.png` });
    }
  }
  expect(found).toEqual([]);
});

/**
 * Controls and headings whose boxes cross one another's (neither inside the other): what a presenter sees as overlap
 * when the page is zoomed. Sizes of 1 px or less are screen-reader-only text.
 */
async function overlappingControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'button, a[href], input, select, textarea, label, h1, h2, h3, summary, [role="tab"], [data-testid="token-status"]';
    const boxes = [...document.querySelectorAll<HTMLElement>(selector)]
      .map((element) => ({ element, rect: element.getBoundingClientRect() }))
      .filter(({ element, rect }) => rect.width > 1 && rect.height > 1 && element.checkVisibility({ visibilityProperty: true, opacityProperty: true }));
    const name = (element: HTMLElement) => `${element.tagName.toLowerCase()} “${(element.textContent ?? '').trim().slice(0, 30)}”`;
    const found: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
        const x = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
        const y = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
        if (x > 2 && y > 2) found.push(`${name(a.element)} overlaps ${name(b.element)}`);
      }
    }
    return found;
  });
}

/**
 * Monospace text that wraps mid-word: a line that starts right after a letter or digit (not after a space, a line
 * feed or a separator such as / . - : ? & =).
 */
async function piecesBrokenMidWord(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements.flatMap((element) => {
      const broken: string[] = [];
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let previous: { top: number; char: string } | null = null;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        const range = document.createRange();
        for (let i = 0; i < text.length; i++) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getClientRects()[0];
          if (!rect || /\s/.test(text[i]!)) continue;
          const top = Math.round(rect.top);
          if (previous && top > previous.top + 2 && /[\p{L}\p{N}]/u.test(previous.char) && !/\s/.test(text[i - 1] ?? ' ')) {
            broken.push(`${text.slice(Math.max(0, i - 12), i)}|${text.slice(i, i + 12)}`);
          }
          previous = { top, char: text[i]! };
        }
        if (/\s$/.test(text)) previous = null;
      }
      return broken;
    }),
  );
}

test('the page comes with its provider list: Get token is usable without a second request for it', async ({ page }) => {
  const asked: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/providers') asked.push(request.url());
  });
  await page.goto('/?provider=candid');
  await expect(page.getByTestId('get-token')).toBeEnabled();
  await expect(page.getByLabel('Provider', { exact: true })).toHaveValue('candid');
  await page.waitForLoadState('networkidle');
  expect(asked).toEqual([]);
});

test('monospace values wrap at their separators at 390 px, never mid-word', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
  const urls = page.getByTestId('get-token-card').locator('p.font-mono');
  await expect(urls.first()).toContainText('/sandbox/bcda/auth/token');
  // The URLs are wider than the column, so they do wrap — at a separator.
  expect((await urls.first().boundingBox())!.height).toBeGreaterThan(20);
  const monospace = 'dd.font-mono, [data-testid="get-token-card"] p.font-mono, [data-testid="claims-table"] td .font-mono';
  expect(await piecesBrokenMidWord(page, monospace)).toEqual([]);
});

test('the workspace: the token status stays in view, the token column stays beside a long workbench, and 150–200 % zoom neither overlaps nor scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await choose(page, 'bcda', 'extra-small');
  const bar = page.getByTestId('token-status-bar');
  await expect(bar.getByTestId('token-status')).toHaveText('No token');
  await bar.getByRole('button', { name: 'Go to Get token' }).click();
  await expect(page.getByTestId('get-token')).toBeFocused();
  await page.getByTestId('get-token').click();
  await expect(bar.getByTestId('token-status')).toHaveText('Live');
  await expect(bar.getByTestId('token-status-countdown')).toHaveText(/^(20:00|19:5\d)$/);
  await expect(bar).toContainText('CMS BCDA');

  // A bulk export makes the workbench column long; scrolled to its end, the bar and the token are still in view.
  const fhir = page.getByTestId('fhir-panel');
  await fhir.getByRole('button', { name: 'Patient $export', exact: true }).click();
  await page.getByTestId('fhir-send').click();
  await expect(page.getByTestId('bulk-file').first()).toBeVisible();
  await page.getByTestId('bulk-file').last().scrollIntoViewIfNeeded();
  const viewport = page.viewportSize()!;
  const barBox = (await bar.boundingBox())!;
  expect(barBox.y).toBeLessThanOrEqual(1);
  const tokenBox = (await page.getByTestId('token-result').boundingBox())!;
  expect(tokenBox.y + tokenBox.height).toBeGreaterThan(barBox.height + 200);
  expect(tokenBox.y).toBeLessThan(viewport.height);

  // The bar's button brings the token back, focused.
  await bar.getByRole('button', { name: 'Show token' }).click();
  await expect(page.getByTestId('token-result')).toBeFocused();

  for (const [zoom, width, height] of [[150, 960, 600], [200, 720, 450]] as const) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${zoom} %: sideways scroll`).toBe(0);
    expect(await overlappingControls(page), `${zoom} %`).toEqual([]);
    expect((await bar.boundingBox())!.height, `${zoom} %: the status bar's height`).toBeLessThan(height * 0.15);
    await page.screenshot({ path: `test-results/screenshots/zoom-${zoom}.png` });
  }
  // The finished export's manifest on a phone: its long badges wrap too.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), '390 px after an export').toBe(0);
});

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

test('axe finds nothing in the DPoP and PAR states: the token’s binding and proof, a timeline row’s proof, the DPoP and PAR switches, the provider form’s DPoP and PAR fields — light and dark, 1440 and 390 px', async ({ page }) => {
  test.setTimeout(90_000);
  const found: string[] = [];
  const check = async (state: string) => {
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(150);
        found.push(...(await axeViolations(page)).map((v) => `${state} (${scheme}, ${width}): ${v}`));
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (width === 390) expect(overflow, `${state} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `test-results/screenshots/a11y-${state}-${width}.png`, fullPage: true });
    }
  };
  await choose(page, 'smart', 'dpop-par-app');
  await page.getByTestId('authorize').click();
  await page.getByLabel('Username').fill('patient1');
  await page.getByLabel('Password').fill('smart-sandbox');
  await page.getByRole('button', { name: 'Sign in and approve' }).click();
  await expect(page.getByTestId('dpop-binding')).toBeVisible();
  const parRow = page.locator('[data-testid=timeline-row][data-kind=par]');
  await parRow.locator('summary').first().click();
  await parRow.getByText('DPoP proof, decoded').click();
  await expect(parRow.getByTestId('dpop-proof-claims')).toBeVisible();
  await check('dpop-token');

  await page.getByTestId('failure-simulation-open').click();
  await expect(page.getByRole('dialog', { name: 'Simulate a failure' }).getByLabel('PAR skipped', { exact: true })).toBeVisible();
  await check('dpop-simulations');
  await page.getByTestId('failure-simulation-close').click();

  await page.getByText('+ Add a provider by URL').first().click();
  await page.locator('#smart-discovery-url').fill(new URL('/sandbox/smart/fhir', page.url()).toString());
  await page.getByRole('button', { name: 'Discover' }).click();
  await expect(page.getByTestId('smart-dpop')).toBeChecked();
  await check('provider-form-dpop');
  expect(found).toEqual([]);
});
