import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../support/test';
import { choose, signInAtBlueButton, signInAtHealthSherpa } from '../support/console';
import { E2E_ISSUED_SECRETS_NAME, readIssued } from '../support/log-scan';
import { FULL_JWT, presetSecrets } from '../support/secrets';
import { E2E_LOG_DIR } from '../support/server-env';
import { providers } from '../../lib/providers';

/**
 * Issue #17: each built-in provider's main flow exported as TypeScript, Python and shell through the page, then run
 * for real against the built-in sandboxes (a login page driven by a browser where the flow has one). Each must get
 * a token and a first answer, exit 0, and print no secret.
 */

const issuedFile = join(E2E_LOG_DIR, E2E_ISSUED_SECRETS_NAME);
// Inside the repository so the TypeScript program's `import('jose')` resolves from its node_modules.
const workDir = join(process.cwd(), 'test-results', 'flow-code');
const LANGUAGES = ['typescript', 'python', 'shell'] as const;
type Language = (typeof LANGUAGES)[number];

function secretOf(providerId: string, presetId: string): { CLIENT_SECRET: string } {
  const preset = providers.find((p) => p.id === providerId)?.presets.find((p) => p.id === presetId);
  if (!preset) throw new Error(`no preset ${providerId}/${presetId}`);
  return { CLIENT_SECRET: preset.clientSecret };
}

/** Opens Export as code from the sequence diagram, picks a language and returns the program as the page shows it. */
async function exportProgram(page: Page, language: Language): Promise<string> {
  if (!(await page.getByTestId('flow-diagram').isVisible())) await page.getByTestId('show-sequence-diagram').click();
  await page.getByTestId('export-code').click();
  const dialog = page.getByTestId('export-code-dialog');
  await dialog.getByRole('radio', { name: { typescript: 'TypeScript', python: 'Python 3', shell: 'Shell' }[language] }).check();
  const text = dialog.getByTestId('export-code-text');
  const marker = { typescript: "import { createHash", python: '#!/usr/bin/env python3', shell: '#!/usr/bin/env bash' }[language];
  await expect(text).toContainText(marker);
  const program = (await text.textContent()) ?? '';
  await dialog.getByTestId('export-code-close').click();
  return program;
}

interface Run {
  code: number | null;
  output: string;
}

/** Runs a program; `login` drives the sandbox's login page when the program prints the URL to open. */
async function runProgram(name: string, language: Language, program: string, env: Record<string, string>, login?: (url: string) => Promise<void>): Promise<Run> {
  mkdirSync(workDir, { recursive: true });
  let command: string[];
  if (language === 'typescript') {
    const js = ts.transpileModule(program, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(workDir, `${name}.mjs`), js);
    command = [process.execPath, join(workDir, `${name}.mjs`)];
  } else if (language === 'python') {
    writeFileSync(join(workDir, `${name}.py`), program);
    command = ['python3', join(workDir, `${name}.py`)];
  } else {
    writeFileSync(join(workDir, `${name}.sh`), program);
    command = ['bash', join(workDir, `${name}.sh`)];
  }
  // Only what a shell would have plus the program's own variables: nothing of the test's environment leaks in.
  const childEnv: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  const child = spawn(command[0]!, command.slice(1), { env: childEnv as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let loginStarted: Promise<void> | null = null;
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    const url = /Open this URL in a browser and log in:\n(\S+)\n/.exec(output)?.[1];
    if (url && login && !loginStarted) loginStarted = login(url);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (loginStarted) await loginStarted;
  return { code, output };
}

function expectCleanRun(run: Run, issuedBefore: Set<string>) {
  expect(run.code, run.output).toBe(0);
  expect(run.output).toContain('✓ done');
  expect(run.output).toMatch(/access token: \d+ chars, sha256 [0-9a-f]{12}/);
  for (const secret of presetSecrets) expect(run.output.includes(secret), 'a client secret in the output').toBe(false);
  for (const issued of readIssued(issuedFile)) {
    if (issuedBefore.has(issued.value)) continue;
    expect(run.output.includes(issued.value), `an issued ${issued.kind} in the output`).toBe(false);
  }
  expect(run.output).not.toMatch(FULL_JWT);
}

/** A browser page that signs in on a sandbox's login page and waits until it is sent to the program's listener. */
function loginWith(browser: Browser, signIn: (page: Page) => Promise<void>) {
  return async (url: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(url);
      await signIn(page);
      await page.waitForURL(/^http:\/\/127\.0\.0\.1:8765\/callback\?/);
      await expect(page.locator('body')).toContainText('Back in the terminal');
    } finally {
      await context.close();
    }
  };
}

const issuedNow = () => new Set(readIssued(issuedFile).map((s) => s.value));

test('BCDA: client credentials with Basic and an empty body, then a bulk export with its downloads, as TypeScript, Python and shell', async ({ page }) => {
  test.setTimeout(90_000);
  await choose(page, 'bcda', 'extra-small');
  await page.getByTestId('get-token').click();
  await expect(page.getByTestId('claims-table')).toBeVisible();
  const before = issuedNow();
  for (const language of LANGUAGES) {
    const program = await exportProgram(page, language);
    expect(program).not.toContain(secretOf('bcda', 'extra-small').CLIENT_SECRET);
    expect(program).toContain('/sandbox/bcda/api/v2/Patient/$export');
    const run = await runProgram(`bcda-${language}`, language, program, secretOf('bcda', 'extra-small'));
    expectCleanRun(run, before);
    expect(run.output).toContain('(expires_in sent as a string)');
    expect(run.output).toMatch(/manifest: \d+ file\(s\), requiresAccessToken true/);
    expect(run.output).toMatch(/Patient: 50 resources/);
  }
});

for (const { providerId, presetId, check } of [
  { providerId: 'candid', presetId: 'demo-billing', check: /application\/json[\s\S]*client_secret/ },
  { providerId: '1uphealth', presetId: 'provider-access', check: /GET/ },
]) {
  test(`${providerId}: client credentials as the provider documents them, then a first API call, in three languages`, async ({ page }) => {
    test.setTimeout(60_000);
    await choose(page, providerId, presetId);
    await page.getByTestId('get-token').click();
    await expect(page.getByTestId('token-panel')).toBeVisible();
    const before = issuedNow();
    for (const language of LANGUAGES) {
      const program = await exportProgram(page, language);
      expect(program).toMatch(check);
      expect(program).not.toContain(secretOf(providerId, presetId).CLIENT_SECRET);
      expectCleanRun(await runProgram(`${providerId}-${language}`, language, program, secretOf(providerId, presetId)), before);
    }
  });
}

const signIns: Record<string, { presetId: string; inConsole: (page: Page) => Promise<void>; atSandbox: (page: Page) => Promise<void> }> = {
  bluebutton: {
    presetId: 'demo-demographic',
    inConsole: signInAtBlueButton,
    atSandbox: async (page) => {
      await page.getByLabel('Username').fill('BBUser00000');
      await page.getByLabel('Password').fill('PW00000!');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
    },
  },
  healthsherpa: {
    presetId: 'demo-partner-app',
    inConsole: async (page) => {
      await signInAtHealthSherpa(page);
      await page.getByRole('button', { name: 'Authorize' }).click();
    },
    atSandbox: async (page) => {
      await page.getByLabel('Email').fill('agent@demo-agency.test');
      await page.getByLabel('Password').fill('Sherpa-Demo-1!');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('button', { name: 'Authorize' }).click();
    },
  },
  smart: {
    presetId: 'confidential-app',
    inConsole: async (page) => {
      await page.getByTestId('authorize').click();
      await page.getByLabel('Username').fill('patient1');
      await page.getByLabel('Password').fill('smart-sandbox');
      await page.getByRole('button', { name: 'Sign in and approve' }).click();
    },
    atSandbox: async (page) => {
      await page.getByLabel('Username').fill('patient1');
      await page.getByLabel('Password').fill('smart-sandbox');
      await page.getByRole('button', { name: 'Sign in and approve' }).click();
    },
  },
};

for (const [providerId, flow] of Object.entries(signIns)) {
  test(`${providerId}: authorization code with PKCE through the program's own listener, the first call and a refresh, in three languages`, async ({ page, browser }) => {
    test.setTimeout(90_000);
    await choose(page, providerId, flow.presetId);
    await flow.inConsole(page);
    await expect(page.getByTestId('token-panel')).toBeVisible();
    const before = issuedNow();
    for (const language of LANGUAGES) {
      const program = await exportProgram(page, language);
      expect(program).toContain('code_challenge_method=S256');
      expect(program).not.toContain(secretOf(providerId, flow.presetId).CLIENT_SECRET);
      const run = await runProgram(`${providerId}-${language}`, language, program, secretOf(providerId, flow.presetId), loginWith(browser, flow.atSandbox));
      expectCleanRun(run, before);
      expect(run.output).toContain('callback with a code, state checked');
      expect(run.output).toMatch(/The refresh|rotated|nothing to refresh/);
      expect(run.output.match(/access token: /g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    }
  });
}
