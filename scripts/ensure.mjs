// Helpers shared by the serve and test scripts: install dependencies when missing, build when stale.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options, env: { ...process.env, ...options.env } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function runOrExit(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) process.exit(status);
}

/**
 * Installs dependencies when node_modules is missing or older than package-lock.json. `npm install`, not
 * `npm ci`: registry mirrors that serve only this platform's optional binaries leave the other platforms'
 * entries out of the lock file, which `npm ci` then refuses as out of sync.
 */
export function ensureDependencies() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('> Installing dependencies (npm install)…');
  runOrExit('npm', ['install', '--no-audit', '--no-fund']);
}

const SOURCES = ['app', 'components', 'lib', 'public', 'instrumentation.ts', 'proxy.ts', 'next.config.mjs', 'package-lock.json', 'tailwind.config.ts', 'postcss.config.mjs', 'tsconfig.json'];

function sourceFingerprint() {
  const hash = createHash('sha256');
  const walk = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (!name.endsWith('.test.ts')) walk(join(path, name));
    } else {
      hash.update(path).update(readFileSync(path));
    }
  };
  for (const source of SOURCES) walk(join(root, source));
  return hash.digest('hex');
}

/** `next build` unless the last build was made from exactly these sources. */
export function ensureBuild() {
  const stamp = join(root, '.next', 'console-source-hash');
  const fingerprint = sourceFingerprint();
  if (existsSync(join(root, '.next', 'BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) return;
  console.log('> Building the console (next build)…');
  runOrExit('npx', ['next', 'build'], { env: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' } });
  writeFileSync(stamp, fingerprint);
}

/**
 * A demo needs no configuration: without SESSION_SECRET, one is generated once and kept in
 * .session-secret (git-ignored, mode 600), so sessions survive a restart of the demo.
 */
export function demoSessionSecret() {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET;
  const file = join(root, '.session-secret');
  if (!existsSync(file)) {
    mkdirSync(root, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    console.log('> SESSION_SECRET is not set: generated one in .session-secret for this demo.');
  } else {
    console.log('> SESSION_SECRET is not set: using the demo secret in .session-secret.');
  }
  return readFileSync(file, 'utf8').trim();
}
