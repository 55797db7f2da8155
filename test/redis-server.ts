import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './free-port';

const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';


export interface RedisServer {
  url: string;
  /** Kills the server (its data is gone); `start` brings an empty one back on the same port. */
  stop: () => Promise<void>;
  start: () => Promise<void>;
  /** SIGSTOP: Redis "briefly down" with its data kept — connections stay open and nothing answers. */
  pause: () => void;
  /** SIGCONT after `pause`: the same data answers again. */
  resume: () => void;
}

/**
 * A real redis-server on a loopback port, without persistence, that tests can stop and start again on the same
 * port (Redis down, then back) or pause and resume. `npm test` and `.ci/run` install redis-server when it is missing.
 */
export async function startRedisServer(): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`${REDIS_SERVER} is missing: install it (apt-get install -y redis-server) or set REDIS_SERVER_PATH.`);
  }
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
      proc.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${output}`));
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const proc = child;
      child = null;
      if (!proc || proc.exitCode !== null) return resolve();
      proc.removeAllListeners('exit');
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  const signal = (name: NodeJS.Signals) => () => {
    const proc = child as ChildProcess | null;
    if (!proc || proc.exitCode !== null) throw new Error('redis-server is not running.');
    proc.kill(name);
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, stop, start, pause: signal('SIGSTOP'), resume: signal('SIGCONT') };
}
