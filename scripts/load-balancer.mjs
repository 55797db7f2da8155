// A real load balancer in front of several console instances, for the scale tests (e2e/scale) and `npm run load`:
// Debian's haproxy on a loopback port, round-robin per request, no stickiness. Each answer names the instance that
// gave it in `X-Console-Instance`, so a test can see that a flow really crossed instances.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HAPROXY = process.env.HAPROXY_PATH ?? '/usr/sbin/haproxy';
export const INSTANCE_HEADER = 'x-console-instance';

/**
 * The configuration: HTTP mode, a new balancing decision for every request (keep-alive to the browser, but no
 * `prefer-last-server` and no cookie), TCP health checks every 500 ms so a killed instance leaves the rotation at once,
 * and a request that could not connect retried on another instance (`option redispatch`): nothing had been sent, so
 * a POST is as safe to retry as a GET.
 */
export function haproxyConfig({ port, backends, statsSocket }) {
  const servers = backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check inter 500 fall 1 rise 1`).join('\n');
  return `global
  maxconn 4096
  stats socket ${statsSocket} mode 600 level admin

defaults
  mode http
  timeout connect 1s
  timeout client 120s
  timeout server 120s
  timeout http-keep-alive 10s
  option redispatch
  retries 3
  retry-on conn-failure empty-response

frontend console
  bind 127.0.0.1:${port}
  default_backend consoles

backend consoles
  balance roundrobin
  http-response set-header X-Console-Instance %s
${servers}
`;
}

/**
 * Starts haproxy in the foreground on 127.0.0.1:`port` in front of `backends` ({ name, port }), and resolves once it
 * accepts connections. `stop()` ends it; `served()` reads how many requests each instance got (the stats socket).
 */
export async function startLoadBalancer({ port, backends }) {
  if (!existsSync(HAPROXY)) {
    throw new Error(`${HAPROXY} is missing: install haproxy (Debian: apt-get install -y haproxy) or set HAPROXY_PATH.`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'console-lb-'));
  const statsSocket = join(dir, 'stats.sock');
  const configPath = join(dir, 'haproxy.cfg');
  writeFileSync(configPath, haproxyConfig({ port, backends, statsSocket }));
  const child = spawn(HAPROXY, ['-db', '-f', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`haproxy did not listen on ${port} within 10 s:\n${output}`);
    if (existsSync(statsSocket)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () =>
    new Promise((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGKILL');
    });
  /** Requests each backend instance has been sent so far, by name (`stot` of `show stat`). */
  const served = async () => {
    const { createConnection } = await import('node:net');
    const csv = await new Promise((resolve, reject) => {
      let text = '';
      const socket = createConnection(statsSocket, () => socket.end('show stat\n'));
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
    const columns = header.split(',');
    const at = (row, name) => row.split(',')[columns.indexOf(name)];
    const counts = {};
    for (const row of rows) {
      if (at(row, 'pxname') === 'consoles' && !['BACKEND', 'FRONTEND'].includes(at(row, 'svname'))) counts[at(row, 'svname')] = Number(at(row, 'stot'));
    }
    return counts;
  };
  return { origin: `http://localhost:${port}`, url: `http://127.0.0.1:${port}`, stop, served, output: () => output };
}
