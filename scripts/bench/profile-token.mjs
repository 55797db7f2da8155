// Where the BFF spends its time (issue #20): the BFF runs under `--cpu-prof` while it does `PROFILE_SAMPLES`
// client-credentials exchanges (1upHealth, `forceNew`), one at a time, against the built-in sandbox in another process,
// as `npm run bench` measures them; or, with `PROFILE=download`, `PROFILE_SAMPLES` (default 4) downloads of the bench's
// large BCDA file, to see what it does per chunk. Prints the functions with the most self time, grouped by where they
// live (the console's own code, Next, node_modules, Node), and writes the profile to test-results/profiles/.
//
//   node scripts/bench/profile-token.mjs
//   PROFILE=download node scripts/bench/profile-token.mjs
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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
// The profiled BFF runs an unminified server build (next.config.mjs, NEXT_PROFILE_BUILD) so its functions have names.
console.log('> Building the unminified server build for the profile (.next-profile)…');
if (spawnSync(process.execPath, [join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], { cwd: root, env: { ...process.env, NEXT_PROFILE_BUILD: '1' }, stdio: 'ignore' }).status !== 0) {
  throw new Error('The profile build (NEXT_PROFILE_BUILD=1 next build) failed.');
}
mkdirSync(profileDir, { recursive: true });
const sessionSecret = randomBytes(32).toString('hex');
const [upstreamPort, bffPort] = await freePorts(2);
const upstream = await startServer({ name: 'upstream', port: upstreamPort, readyPath: '/sandbox/bcda/_version', env: { SESSION_SECRET: sessionSecret } });

// The BFF with the V8 profiler one signal away: SIGUSR2 starts it once the warm-up is done (so start-up and first
// compilations stay out of the figures), SIGTERM stops it and writes the profile, then exits.
const profileFile = join(profileDir, `bff-${DOWNLOAD ? 'download' : 'token'}-${Date.now()}.cpuprofile`);
const profiled = `
import inspector from 'node:inspector';
import { writeFileSync } from 'node:fs';
const session = new inspector.Session();
session.connect();
const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
process.on('SIGUSR2', async () => {
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
});
process.on('SIGTERM', async () => {
  const { profile } = await post('Profiler.stop');
  writeFileSync(${JSON.stringify(profileFile)}, JSON.stringify(profile));
  process.exit(0);
});
await import('./scripts/server.mjs');
`;
const bff = spawn(process.execPath, ['--input-type=module', '-e', profiled], {
  cwd: root,
  env: { ...process.env, NEXT_PROFILE_BUILD: '1', SESSION_SECRET: sessionSecret, CONSOLE_INTERNAL_ORIGIN: upstream.origin, NODE_ENV: 'production', PORT: String(bffPort), HOSTNAME_BIND: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' },
  stdio: 'ignore',
});
const origin = `http://127.0.0.1:${bffPort}`;
for (let i = 0; i < 200; i++) {
  const up = await fetch(`${origin}/sandbox/bcda/_version`).then((r) => r.ok, () => false);
  if (up) break;
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const agent = createAgent(1);
let user = createBffUser(origin, agent);
const times = [];
async function startProfiling() {
  bff.kill('SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 500));
}
if (DOWNLOAD) {
  const token = await directBcdaToken(upstream.origin, presetCredentials('bcda.ts', BCDA_LARGE_PRESET), agent);
  const file = await exportEob(upstream.origin, token, agent);
  await bffToken(user, 'bcda', { kind: 'preset', presetId: BCDA_LARGE_PRESET }, { forceNew: false });
  // As the bench's main bulk measure: the file plain (`PROFILE_ENCODING=gzip` for the gzip measure, decoded by the BFF).
  const encoding = process.env.PROFILE_ENCODING ?? 'identity';
  await bffDownload(user, file.path, encoding);
  await startProfiling();
  for (let i = 0; i < SAMPLES; i++) {
    const result = await bffDownload(user, file.path, encoding);
    times.push(result.ms ?? 0);
    if (i === 0) console.log(`One download: ${(result.bytes / 1e6).toFixed(0)} MB.`);
  }
} else {
  const credential = { kind: 'preset', presetId: ONEUP_PRESET };
  for (let i = 0; i < 30; i++) await bffToken(user, '1uphealth', credential);
  await startProfiling();
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

if (!existsSync(profileFile)) throw new Error('The BFF wrote no profile.');
const file = basename(profileFile);
const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
const groups = new Map();
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const deltas = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const { functionName, url, lineNumber } = node.callFrame;
  // A chunk of the unminified build is named after the modules in it (lib_oauth_session-view_ts_…): keep that name.
  const chunk = url.includes('/.next-profile/') ? url.split('/').at(-1).replace(/_[0-9a-z-]+\._\.js$|\.js$/, '') : null;
  const where = url.includes('/node_modules/next/') ? 'next' : url.includes('/node_modules/') ? url.split('/node_modules/')[1].split('/').slice(0, url.includes('/node_modules/@') ? 2 : 1).join('/') : chunk ? `console ${chunk}` : url.startsWith('node:') ? 'node' : url || '(native)';
  const key = `${functionName || '(anonymous)'} · ${where}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0));
  const group = where.startsWith('console ') ? `console ${chunk.replace(/^\[root-of-the-server\]_*/, '').split('_ts')[0]}` : where;
  if (functionName !== '(idle)') groups.set(group, (groups.get(group) ?? 0) + (deltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const busy = total - (self.get('(idle) · (native):0') ?? 0);
console.log(`Profile: ${join('test-results', 'profiles', file)}; ${(busy / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms sampled: ${(busy / 1000 / SAMPLES).toFixed(2)} ms of CPU per ${DOWNLOAD ? 'download' : 'exchange'}.`);
console.log('Self time by where it lives, busy share:');
for (const [group, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000 / SAMPLES).toFixed(2).padStart(6)} ms  ${group}`);
}
console.log('Self time, busy share:');
for (const [key, us] of [...self].filter(([key]) => !key.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${key}`);
}
