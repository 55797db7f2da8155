// Where the BFF spends its time (issue #20): the BFF runs under `--cpu-prof` while it does `PROFILE_SAMPLES`
// client-credentials exchanges (1upHealth, `forceNew`), one at a time, against the built-in sandbox in another process,
// as `npm run bench` measures them; or, with `PROFILE=download`, `PROFILE_SAMPLES` (default 4) downloads of the bench's
// large BCDA file, to see what it does per chunk. Prints the functions with the most self time, grouped by where they
// live (the console's own code, Next, node_modules, Node), and writes the profile to test-results/profiles/.
//
//   node scripts/bench/profile-token.mjs
//   PROFILE=download node scripts/bench/profile-token.mjs
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuild, ensureDependencies, root } from '../ensure.mjs';
import { BCDA_LARGE_PRESET, bffDownload, bffToken, directBcdaToken, exportEob, ONEUP_PRESET, presetCredentials } from './flows.mjs';
import { createAgent, createBffUser } from './http.mjs';
import { freePorts, startServer, stopServers } from './servers.mjs';

const DOWNLOAD = process.env.PROFILE === 'download';
const SAMPLES = Number(process.env.PROFILE_SAMPLES ?? (DOWNLOAD ? 4 : 400));
/** A new console session every N exchanges (0: one session throughout, as the bench), to see what the history costs. */
const FRESH_SESSION_EVERY = Number(process.env.PROFILE_FRESH_SESSION_EVERY ?? 0);
const profileDir = join(root, 'test-results', 'profiles');

ensureDependencies();
ensureBuild();
mkdirSync(profileDir, { recursive: true });
const sessionSecret = randomBytes(32).toString('hex');
const [upstreamPort, bffPort] = await freePorts(2);
const upstream = await startServer({ name: 'upstream', port: upstreamPort, readyPath: '/sandbox/bcda/_version', env: { SESSION_SECRET: sessionSecret } });

// The BFF under the profiler; it writes the profile when it exits normally, so SIGTERM ends it with process.exit.
const bff = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--input-type=module', '-e', "process.on('SIGTERM', () => process.exit(0)); await import('./scripts/server.mjs');"], {
  cwd: root,
  env: { ...process.env, SESSION_SECRET: sessionSecret, CONSOLE_INTERNAL_ORIGIN: upstream.origin, NODE_ENV: 'production', PORT: String(bffPort), HOSTNAME_BIND: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' },
  stdio: 'ignore',
});
const origin = `http://127.0.0.1:${bffPort}`;
for (let i = 0; i < 200; i++) {
  const up = await fetch(`${origin}/sandbox/bcda/_version`).then((r) => r.ok, () => false);
  if (up) break;
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const before = new Set(readdirSync(profileDir));
const agent = createAgent(1);
let user = createBffUser(origin, agent);
const times = [];
if (DOWNLOAD) {
  const token = await directBcdaToken(upstream.origin, presetCredentials('bcda.ts', BCDA_LARGE_PRESET), agent);
  const file = await exportEob(upstream.origin, token, agent);
  await bffToken(user, 'bcda', { kind: 'preset', presetId: BCDA_LARGE_PRESET }, { forceNew: false });
  await bffDownload(user, file.path);
  for (let i = 0; i < SAMPLES; i++) {
    const result = await bffDownload(user, file.path);
    times.push(result.ms ?? 0);
    if (i === 0) console.log(`One download: ${(result.bytes / 1e6).toFixed(0)} MB.`);
  }
} else {
  const credential = { kind: 'preset', presetId: ONEUP_PRESET };
  for (let i = 0; i < 30; i++) await bffToken(user, '1uphealth', credential);
  for (let i = 0; i < SAMPLES; i++) {
    if (FRESH_SESSION_EVERY > 0 && i % FRESH_SESSION_EVERY === 0) user = createBffUser(origin, agent);
    times.push((await bffToken(user, '1uphealth', credential)).ms);
  }
}
bff.kill('SIGTERM');
await new Promise((resolve) => bff.once('exit', resolve));
await stopServers();
times.sort((a, b) => a - b);
console.log(`${SAMPLES} ${DOWNLOAD ? 'downloads' : 'exchanges'} through the BFF: median ${times[Math.floor(times.length / 2)].toFixed(2)} ms`);

const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile') && !before.has(name));
if (!file) throw new Error('The BFF wrote no profile.');
const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const deltas = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.includes('/node_modules/next/') ? 'next' : url.includes('/node_modules/') ? url.split('/node_modules/')[1].split('/').slice(0, url.includes('/node_modules/@') ? 2 : 1).join('/') : url.includes('/.next/') ? 'console (.next)' : url.startsWith('node:') ? 'node' : url || '(native)';
  const key = `${functionName || '(anonymous)'} · ${where}${url.includes('/.next/') ? '' : `:${lineNumber + 1}`}`;
  self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const busy = total - (self.get('(idle) · (native):0') ?? 0);
console.log(`Profile: ${join('test-results', 'profiles', file)}; ${(busy / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms sampled.`);
console.log('Self time, busy share:');
for (const [key, us] of [...self].filter(([key]) => !key.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${key}`);
}
