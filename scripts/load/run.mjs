// `npm run load`: 200 concurrent console sessions through token + FHIR calls against the built-in sandboxes on
// loopback (issue #7, "Load"). Two runs: one console on its in-memory vault, then two consoles sharing a real
// redis-server with every session's calls alternating between them. Requires 0 errors and 0 cross-session leaks;
// exits 1 otherwise. Not part of `npm test`. See docs/benchmarks.md, "Load".
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { ensureBuild, ensureDependencies } from '../ensure.mjs';
import { startLoadBalancer } from '../load-balancer.mjs';
import { createAgent } from '../bench/http.mjs';
import { describeMachine } from '../bench/report.mjs';
import { freePorts, serverOutputs, startServer, stopServers } from '../bench/servers.mjs';
import { summarize, printRun, writeLoadResults } from './report.mjs';
import { createLoadUser, createRegistry, LoadFailure, profileFor, runSession } from './session.mjs';

const SESSIONS = Number(process.env.LOAD_SESSIONS ?? 200);
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 3);
const WARMUP_SESSIONS = 12;
const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

function step(message) {
  console.log(`> ${message}`);
}

/**
 * Runs every session at once; each runs its rounds back to back. A few warm-up sessions go first (JIT, the
 * sandboxes' signing keys, the JWKS caches): checked like the others, not timed.
 */
async function drive({ name, origins }) {
  const registry = createRegistry();
  const warmup = await driveSessions({ origins, sessions: WARMUP_SESSIONS, rounds: 1, first: SESSIONS, registry });
  const run = await driveSessions({ origins, sessions: SESSIONS, rounds: ROUNDS, first: 0, registry });
  const leaks = [...warmup.leaks, ...run.leaks, ...registry.leaks];
  const errors = [...warmup.errors, ...run.errors];
  return summarize({ name, origins, latencies: run.latencies, wallMs: run.wallMs, errors, leaks, sessions: SESSIONS, rounds: ROUNDS });
}

async function driveSessions({ origins, sessions, rounds, first, registry }) {
  const agent = createAgent(sessions);
  const latencies = { token: [], fhir: [], session: [] };
  const record = (kind, ms) => latencies[kind].push(ms);
  const errors = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: sessions }, async (_, i) => {
      const index = first + i;
      // Sessions start on different instances, so each instance sees first calls (new cookies) too.
      const user = createLoadUser(origins, agent, index);
      try {
        await runSession({ index, user, rounds, record, registry });
      } catch (error) {
        errors.push({ index, leak: error instanceof LoadFailure && error.leak, message: error instanceof Error ? error.message : String(error) });
      }
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  return { latencies, wallMs, errors: errors.filter((e) => !e.leak).map((e) => e.message), leaks: errors.filter((e) => e.leak).map((e) => e.message) };
}

function freeRedisPort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A redis-server without persistence on a free loopback port; stopped on exit. */
async function startRedis() {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: install redis-server (Debian: apt-get install -y redis-server) or set REDIS_SERVER_PATH, or LOAD_REDIS=0 to skip the shared-vault run.`);
  const port = await freeRedisPort();
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  process.on('exit', () => child.kill('SIGKILL'));
  await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

async function main() {
  const startedAt = new Date();
  ensureDependencies();
  ensureBuild();
  const machine = describeMachine();
  const withRedis = process.env.LOAD_REDIS !== '0';
  const sessionSecret = randomBytes(32).toString('hex');
  const [upstreamPort, consolePort, secondPort] = await freePorts(3, 4250, 4299);
  const upstreamOrigin = `http://127.0.0.1:${upstreamPort}`;
  const consoleEnv = { SESSION_SECRET: sessionSecret, CONSOLE_INTERNAL_ORIGIN: upstreamOrigin, LOG_LEVEL: 'warn' };
  const ready = '/api/providers';
  // A fresh upstream per run: BCDA's limit of 100 tokens per 300 s per ACO then holds for each run on its own.
  const startUpstream = () => startServer({ name: 'upstream', port: upstreamPort, readyPath: ready, env: { SESSION_SECRET: sessionSecret, LOG_LEVEL: 'warn' } });
  const mix = Object.entries(
    Array.from({ length: SESSIONS }, (_, i) => profileFor(i)).reduce((acc, p) => ({ ...acc, [`${p.providerId}/${p.presetId}`]: (acc[`${p.providerId}/${p.presetId}`] ?? 0) + 1 }), {}),
  )
    .map(([id, n]) => `${id} ×${n}`)
    .join(', ');
  step(`${SESSIONS} sessions × ${ROUNDS} rounds (token, FHIR ×2, session); mix: ${mix}.`);

  const runs = [];
  step(`Run 1: sandbox upstream on ${upstreamOrigin}, one console (in-memory vault) on 127.0.0.1:${consolePort}…`);
  await Promise.all([startUpstream(), startServer({ name: 'console', port: consolePort, readyPath: ready, env: consoleEnv })]);
  runs.push(await drive({ name: 'one console, memory vault', origins: [`http://127.0.0.1:${consolePort}`] }));
  printRun(runs.at(-1));
  await stopServers();

  if (withRedis) {
    const redis = await startRedis();
    step(`Run 2: a fresh upstream; two consoles (127.0.0.1:${consolePort}, :${secondPort}) sharing ${redis.url}, each session's calls alternating between them…`);
    const env = { ...consoleEnv, REDIS_URL: redis.url };
    await Promise.all([
      startUpstream(),
      startServer({ name: 'console A (Redis)', port: consolePort, readyPath: ready, env }),
      startServer({ name: 'console B (Redis)', port: secondPort, readyPath: ready, env }),
    ]);
    runs.push(await drive({ name: 'two consoles, shared Redis vault', origins: [`http://127.0.0.1:${consolePort}`, `http://127.0.0.1:${secondPort}`] }));
    printRun(runs.at(-1));
    await stopServers();
    redis.stop();
  }

  if (withRedis && process.env.LOAD_BALANCER !== '0') {
    // Issue #20: nothing sticky anywhere. The consoles are their own sandboxes, and both the sessions' calls and the
    // consoles' calls to the sandboxes go through haproxy, so a token minted on one instance is used on the other and
    // every sandbox state (signing keys, rate limits, codes) has to live in the shared Redis.
    const redis = await startRedis();
    const [balancerPort] = await freePorts(1, 4300, 4349);
    const balancerOrigin = `http://127.0.0.1:${balancerPort}`;
    step(`Run 3: haproxy on ${balancerOrigin}, round-robin over two consoles (:${consolePort}, :${secondPort}) that are also the sandboxes, one ${redis.url}…`);
    const env = { SESSION_SECRET: sessionSecret, LOG_LEVEL: 'warn', REDIS_URL: redis.url, CONSOLE_INTERNAL_ORIGIN: balancerOrigin, CONSOLE_PUBLIC_ORIGIN: balancerOrigin };
    await Promise.all([
      startServer({ name: 'console A (behind haproxy)', port: consolePort, readyPath: ready, env }),
      startServer({ name: 'console B (behind haproxy)', port: secondPort, readyPath: ready, env }),
    ]);
    const balancer = await startLoadBalancer({ port: balancerPort, backends: [{ name: 'a', port: consolePort }, { name: 'b', port: secondPort }] });
    try {
      runs.push(await drive({ name: 'two consoles behind haproxy, shared Redis (vault and sandboxes)', origins: [balancerOrigin] }));
      const served = await balancer.served();
      runs.at(-1).servedBy = served;
      printRun(runs.at(-1));
      step(`haproxy sent ${served.a ?? 0} requests to A and ${served.b ?? 0} to B.`);
    } finally {
      await balancer.stop();
      await stopServers();
      redis.stop();
    }
  }

  const durationS = (Date.now() - startedAt.getTime()) / 1000;
  const failed = runs.some((run) => run.errors.length > 0 || run.leaks.length > 0);
  const file = writeLoadResults({ runs, machine, startedAt, durationS, mix, sessions: SESSIONS, rounds: ROUNDS, write: process.env.LOAD_WRITE !== '0' && !failed });
  console.log(`\n> Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, ${machine.os}, Node ${machine.node}.`);
  for (const run of runs) {
    console.log(`> ${run.name}: ${run.errors.length} errors, ${run.leaks.length} cross-session leaks, ${run.requests} requests in ${(run.wallMs / 1000).toFixed(1)} s.`);
  }
  if (failed) {
    console.log('> FAILED: the load run needs 0 errors and 0 cross-session leaks (figures not written).');
    process.exit(1);
  }
  console.log(`> OK: 0 errors, 0 leaks${file ? `; figures written to ${file}` : ''} (${durationS.toFixed(0)} s).`);
}

main().catch(async (error) => {
  console.error(`\n> The load run failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error(serverOutputs());
  await stopServers();
  process.exit(1);
});
