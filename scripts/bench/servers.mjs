// Starts production servers from the one build, waits until they answer, and makes sure they end with the bench:
// on normal exit, on failure, on SIGINT/SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { root } from '../ensure.mjs';

const children = new Set();
/** The last output of every server started, by name, for the report when the bench fails. */
const outputs = new Map();

export function serverOutputs() {
  return [...outputs].map(([name, text]) => `--- ${name} server, last output ---\n${text().trim() || '(none)'}`).join('\n');
}
let cleanupInstalled = false;
/** Set once the bench stops the servers itself, so their exit is not reported as a crash. */
let stopping = false;

function killAll(signal = 'SIGTERM') {
  stopping = true;
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}

function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => killAll('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.error(`\n> ${signal}: stopping the bench servers.`);
      killAll('SIGTERM');
      process.exit(130);
    });
  }
}

/** Stops every server started here and waits (briefly) until they are gone. */
export async function stopServers() {
  const waiting = [...children].map(
    (child) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
      }),
  );
  killAll('SIGTERM');
  await Promise.all(waiting);
}

function isFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** The first free loopback ports from `from` (the bench's range is 4100–4199; others use 3100–3103). */
export async function freePorts(count, from = 4150, to = 4199) {
  const ports = [];
  for (let port = from; port <= to && ports.length < count; port++) if (await isFree(port)) ports.push(port);
  if (ports.length < count) throw new Error(`No ${count} free ports between ${from} and ${to}.`);
  return ports;
}

/**
 * Spawns `node scripts/server.mjs` on 127.0.0.1:`port` and resolves once `readyPath` answers 200. The server's
 * output is kept and printed when it fails to come up or dies during the bench.
 */
export async function startServer({ name, port, env, readyPath, timeoutMs = 90_000 }) {
  installCleanup();
  // Servers started after a stopServers() (the load run's second run) are watched for crashes again.
  stopping = false;
  const child = spawn(process.execPath, ['scripts/server.mjs'], {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: 'production', PORT: String(port), HOSTNAME_BIND: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  outputs.set(name, () => output);
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.once('exit', (code, signal) => {
    exited = signal ?? `code ${code}`;
    children.delete(child);
    if (!stopping) console.error(`\n> The ${name} server (pid ${child.pid}) exited (${exited}). Its last output:\n${output}`);
  });

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`The ${name} server did not come up: it exited (${exited}).\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The ${name} server did not answer ${origin}${readyPath} within ${timeoutMs / 1000} s.\n${output}`);
    }
    try {
      const res = await fetch(`${origin}${readyPath}`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { name, origin, port, pid: child.pid, alive: () => exited === null };
}

/**
 * Gives the upstream its own CPU and the console (BFF and the bench client) the others, as a provider's servers are
 * not the console's: on a shared pair of cores, the BFF's ratio would otherwise count the provider's work twice.
 * Needs `taskset` and at least 2 CPUs; `BENCH_PIN=0` turns it off. Returns a description for the report.
 */
export function pinProcesses({ upstreamPid, consolePids, cpuCount }) {
  if (process.env.BENCH_PIN === '0') return 'not pinned (BENCH_PIN=0): all processes share every CPU';
  if (cpuCount < 2) return `not pinned: ${cpuCount} CPU`;
  const upstreamCpu = String(cpuCount - 1);
  const consoleCpus = cpuCount === 2 ? '0' : `0-${cpuCount - 2}`;
  const pin = (pid, cpus) => spawnSync('taskset', ['-a', '-pc', cpus, String(pid)], { stdio: 'ignore' }).status === 0;
  if (!pin(upstreamPid, upstreamCpu) || !consolePids.every((pid) => pin(pid, consoleCpus))) {
    return 'not pinned: taskset is missing or refused; all processes share every CPU';
  }
  return `upstream pinned to CPU ${upstreamCpu}; BFF and bench client to CPU ${consoleCpus}`;
}

/** The process and all its descendants (from /proc), to see whether Next forked workers. */
export function processTree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    for (const task of safeReaddir(`/proc/${all[i]}/task`)) {
      const text = safeRead(`/proc/${all[i]}/task/${task}/children`);
      for (const child of text.split(/\s+/).filter(Boolean)) all.push(Number(child));
    }
  }
  return [...new Set(all)];
}

/** VmRSS of a process in bytes, or NaN once it is gone. */
export function rssBytes(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(safeRead(`/proc/${pid}/status`));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** The process's command line, for the report. */
export function commandLine(pid) {
  return safeRead(`/proc/${pid}/cmdline`).split('\0').filter(Boolean).join(' ');
}

function safeRead(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function safeReaddir(path) {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
