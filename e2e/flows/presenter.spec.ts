import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { choose } from '../support/console';

/** Issue #17: presenter mode driven by the keyboard, a demo script run end to end, a recording replayed offline. */

async function openDiagram(page: Page) {
  await page.getByTestId('show-sequence-diagram').click();
  await expect(page.getByTestId('flow-diagram')).toBeVisible();
}

test('presenter mode: the keyboard steps through the flow, each step highlights its arrow and reads its key lines, Escape gives focus back', async ({ page }) => {
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
  // Two FHIR calls after the token: at least three steps, whether or not this server still had BCDA's keys cached.
  for (let i = 0; i < 2; i++) {
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/fhir/bcda', {
        method: 'POST',
        headers: { 'x-console-request': '1', 'content-type': 'application/json' },
        body: JSON.stringify({ environmentId: 'builtin', presetId: 'extra-small', method: 'GET', path: '/api/v2/metadata' }),
      });
      return response.status;
    });
    expect(status).toBe(200);
  }
  await openDiagram(page);
  const steps = page.getByTestId('flow-diagram').getByTestId('diagram-step');
  await expect.poll(() => steps.count()).toBeGreaterThanOrEqual(3);
  const count = await steps.count();

  const open = page.getByTestId('presenter-open');
  await open.click();
  const presenter = page.getByTestId('presenter');
  await expect(presenter).toBeVisible();
  const counter = presenter.getByTestId('presenter-count');
  const active = presenter.locator('[data-testid="sequence-arrow"][data-active="true"]').first();
  await expect(counter).toHaveText(`1 / ${count}`);
  await expect(presenter.getByTestId('presenter-step')).toContainText('1. The console asks for a token with its client credentials');
  await expect(presenter.getByTestId('presenter-key-lines')).toContainText('Authorization: Basic [redacted]');
  await expect(presenter.getByTestId('presenter-step')).toContainText('RFC 6749 §4.4');
  await expect(active).toHaveAttribute('data-step', 'step-1');

  await page.keyboard.press('ArrowRight');
  await expect(counter).toHaveText(`2 / ${count}`);
  await expect(active).toHaveAttribute('data-step', 'step-2');
  await page.keyboard.press('ArrowLeft');
  await expect(counter).toHaveText(`1 / ${count}`);
  await page.keyboard.press('End');
  await expect(counter).toHaveText(`${count} / ${count}`);
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  await expect(counter).toHaveText(`2 / ${count}`);
  await page.keyboard.press('Shift+Space');
  await expect(counter).toHaveText(`1 / ${count}`);
  await page.screenshot({ path: 'test-results/screenshots/presenter.png' });

  await page.keyboard.press('Escape');
  await expect(presenter).toBeHidden();
  await expect(open).toBeFocused();
});

test('the BCDA demo script runs end to end on the built-in sandbox: token, kick-off, polls, manifest, download and preview', async ({ page }) => {
  test.setTimeout(60_000);
  await choose(page, 'bcda', 'extra-small');
  await openDiagram(page);
  await page.getByTestId('demo-run').click();
  const progress = page.getByTestId('demo-progress');
  await expect(progress).toHaveAttribute('data-status', 'done', { timeout: 40_000 });
  const categories = await page.getByTestId('diagram-step').evaluateAll((items) => items.map((i) => i.getAttribute('data-category')));
  expect(categories).toEqual(expect.arrayContaining(['client-credentials', 'bulk-kickoff', 'bulk-manifest', 'bulk-download']));
  expect(categories.indexOf('bulk-download')).toBeGreaterThan(categories.indexOf('bulk-manifest'));
});

test('the Blue Button demo pauses at the login page and carries on after it: EOBs, page 2, a rotating refresh', async ({ page }) => {
  test.setTimeout(60_000);
  await choose(page, 'bluebutton', 'demo-demographic');
  await openDiagram(page);
  await page.getByTestId('demo-run').click();
  // The login page is where a person acts; the script waits there.
  await page.getByLabel('Username').fill('BBUser00000');
  await page.getByLabel('Password').fill('PW00000!');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByTestId('demo-progress')).toHaveAttribute('data-status', 'done', { timeout: 40_000 });
  const diagram = page.getByTestId('flow-diagram');
  const categories = await diagram.getByTestId('diagram-step').evaluateAll((items) => items.map((i) => i.getAttribute('data-category')));
  expect(categories).toEqual(['authorize', 'callback', 'code-exchange', 'api', 'api', 'refresh']);
  const urls = await page.evaluate(async () => ((await (await fetch('/api/session')).json()) as { exchanges: { url: string }[] }).exchanges.map((e) => e.url));
  expect(urls.some((url) => url.includes('ExplanationOfBenefit') && url.includes('startIndex=10'))).toBe(true);
  await expect(diagram.getByTestId('sequence-retired')).toHaveCount(1);
});

test('a recording saved from one session replays in presenter mode in a fresh browser without calling anyone; a wrong file is refused', async ({ page, browser }) => {
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
  await openDiagram(page);
  const downloading = page.waitForEvent('download');
  await page.getByTestId('recording-save').click();
  const file = await downloading;
  const path = await file.path();
  expect(file.suggestedFilename()).toMatch(/\.recording\.json$/);
  const text = await readFile(path, 'utf8');
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);

  const fresh = await (await browser.newContext()).newPage();
  await choose(fresh, 'bcda', 'extra-small');
  await openDiagram(fresh);
  await expect(fresh.getByTestId('flow-diagram')).toContainText('No exchanges with this provider yet');
  const calls: string[] = [];
  fresh.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/sandbox/') || url.pathname.startsWith('/api/oauth/') || url.pathname.startsWith('/api/fhir/')) calls.push(url.pathname);
  });
  await fresh.getByTestId('recording-file').setInputFiles(path);
  const presenter = fresh.getByTestId('presenter');
  await expect(presenter).toBeVisible();
  await expect(presenter).toContainText('replayed');
  await expect(presenter.getByTestId('presenter-step')).toContainText('client credentials');
  const counter = presenter.getByTestId('presenter-count');
  await expect(counter).toHaveText(/^1 \/ \d+$/);
  await fresh.keyboard.press('End');
  const total = (await counter.textContent())?.split(' / ')[1];
  await expect(counter).toHaveText(`${total} / ${total}`);
  await fresh.keyboard.press('Escape');
  expect(calls).toEqual([]);

  await mkdir(test.info().outputDir, { recursive: true });
  const wrongVersion = join(test.info().outputDir, 'wrong.recording.json');
  await writeFile(wrongVersion, text.replace('"version": 1', '"version": 2'));
  await fresh.getByTestId('recording-file').setInputFiles(wrongVersion);
  await expect(fresh.getByTestId('recording-notice')).toHaveText('This recording is version 2; this console reads version 1.');
  await fresh.context().close();
});
