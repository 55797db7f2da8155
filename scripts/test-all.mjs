// `npm test`: the whole suite — types, lint, unit tests (vitest), then the console built and driven in a real
// Chromium (Playwright). Installs what the tests need first. Ends with one "N passed, N failed" line.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuild, ensureDependencies, run } from './ensure.mjs';

ensureDependencies();
ensureSystemTool({
  present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
  apt: 'chromium',
  why: 'the browser tests drive Debian’s Chromium (or set CHROMIUM_PATH)',
});
ensureSystemTool({ present: () => onPath('curl'), apt: 'curl', why: 'the e2e tests run the providers’ documented curl commands' });
ensureSystemTool({
  present: () => existsSync(process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server'),
  apt: 'redis-server',
  why: 'the vault tests run against a real Redis (or set REDIS_SERVER_PATH)',
});
ensureSystemTool({
  present: () => existsSync(process.env.HAPROXY_PATH ?? '/usr/sbin/haproxy'),
  apt: 'haproxy',
  why: 'the scale tests put two consoles behind a real load balancer (or set HAPROXY_PATH)',
});
// The e2e suite runs the programs Export as code writes, in each language, against the built-in sandboxes.
for (const [tool, apt] of [['python3', 'python3'], ['jq', 'jq'], ['openssl', 'openssl'], ['nc', 'netcat-openbsd']]) {
  ensureSystemTool({ present: () => onPath(tool), apt, why: `the exported Python and shell programs need ${tool}` });
}

const reports = mkdtempSync(join(tmpdir(), 'console-tests-'));
const steps = [];
const step = (name, command, args, env) => {
  console.log(`\n> ${name}`);
  const status = run(command, args, { env });
  steps.push({ name, ok: status === 0 });
  return status === 0;
};

step('Typecheck', 'npx', ['tsc', '--noEmit']);
step('Lint', 'npx', ['eslint', '.', '--max-warnings=0']);
const unitReport = join(reports, 'vitest.json');
step('Unit tests (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`]);
console.log('\n> Build');
ensureBuild();
const e2eReport = join(reports, 'playwright.json');
step('End-to-end tests (Playwright, Chromium)', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport });
// Playwright's globalTeardown scanned the server's whole output for every secret and token the run used.
const logScan = readLogScan(join('test-results', 'log-scan.json'));
console.log(`\n> Log scan: ${logScan.summary}`);
steps.push({ name: 'Log scan (no secret or token in the e2e server output)', ok: logScan.ok });

const unit = readVitest(unitReport);
const e2e = readPlaywright(e2eReport);
const failedSteps = steps.filter((s) => !s.ok).map((s) => s.name);
console.log('\nSummary');
console.log(`  unit: ${unit.passed} passed, ${unit.failed} failed`);
console.log(`  e2e:  ${e2e.passed} passed, ${e2e.failed} failed`);
console.log(`  log scan: ${logScan.summary}`);
if (failedSteps.length) console.log(`  failed steps: ${failedSteps.join(', ')}`);
const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed + (failedSteps.length && unit.failed + e2e.failed === 0 ? failedSteps.length : 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 || failed > 0 || passed === 0 ? 1 : 0);

/** Installs a Debian package the suite needs when it is missing and we are root (CI); otherwise says how. */
function ensureSystemTool({ present, apt, why }) {
  if (present()) return;
  if (process.getuid?.() === 0) {
    console.log(`> Installing ${apt}: ${why} (apt-get install ${apt})…`);
    run('apt-get', ['update', '-qq']);
    if (run('apt-get', ['install', '-y', '-qq', apt], { env: { DEBIAN_FRONTEND: 'noninteractive' } }) === 0 && present()) return;
  }
  console.error(`${apt} is missing: ${why}. Install it (Debian: sudo apt-get install -y ${apt}).`);
  process.exit(1);
}

function onPath(command) {
  return run('sh', ['-c', `command -v ${command} >/dev/null`]) === 0;
}

function readVitest(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.numPassedTests ?? 0, failed: (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0) };
}

function readLogScan(file) {
  if (!existsSync(file)) return { ok: false, summary: 'no result (the e2e run did not reach its teardown)' };
  const result = JSON.parse(readFileSync(file, 'utf8'));
  return {
    ok: result.found === 0 && result.issuedValues > 0,
    summary: `${result.found} found in ${result.logBytes} bytes (${result.issuedValues} issued tokens/codes, ${result.secretsSearched} values searched)`,
  };
}

function readPlaywright(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0 };
  const stats = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
  return { passed: stats.expected ?? 0, failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0) };
}
