import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { E2E_ISSUED_SECRETS_NAME, E2E_SERVER_LOG_NAME } from './e2e/support/log-scan';
import { E2E_LOG_DIR, E2E_SESSION_SECRET } from './e2e/support/server-env';

const port = Number(process.env.E2E_PORT ?? 3100);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './e2e',
  // Maps `server-only` to a no-op for the provider files the specs import (e2e/tsconfig.json).
  tsconfig: './e2e/tsconfig.json',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // The last step: the server's whole output is scanned for every secret and token the run used (issue #7).
  globalTeardown: './e2e/global-teardown.ts',
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 1000 },
        launchOptions: {
          // Debian's Chromium: `npx playwright install` cannot download here.
          executablePath: existsSync(chromiumPath) ? chromiumPath : undefined,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
  ],
  webServer: {
    // serve.mjs with its output copied to test-results/server.log for the log scan.
    command: 'node scripts/e2e-server.mjs',
    url: `http://localhost:${port}/api/providers`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      SESSION_SECRET: E2E_SESSION_SECRET,
      LOG_LEVEL: 'info',
      // The custom-provider specs discover real authorization servers the tests start on loopback (issue #8).
      CONSOLE_ALLOW_LOOPBACK_PROVIDERS: '1',
      E2E_SERVER_LOG: join(E2E_LOG_DIR, E2E_SERVER_LOG_NAME),
      // Test support only: the sandboxes list what they issue, so the log scan knows what to look for.
      SANDBOX_ISSUED_SECRETS_FILE: join(E2E_LOG_DIR, E2E_ISSUED_SECRETS_NAME),
    },
  },
});
