import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export interface ConsoleProcess {
  name: string;
  port: number;
  /** What the browser opens: `localhost`, so the session cookie (host-only, no port) is shared by every instance. */
  origin: string;
  /** Kills the instance (SIGKILL: nothing gets a chance to flush) and waits until it is gone. */
  kill: () => Promise<void>;
  /** Starts it again with the same environment and waits until it answers. */
  restart: () => Promise<void>;
  /** Its last output, for a failure message. */
  output: () => string;
}

/**
 * One more console instance from the build the suite's webServer made: `node scripts/server.mjs` in production
 * mode on 127.0.0.1:`port`, resolved once `/api/providers` answers 200.
 */
export async function startConsole(name: string, port: number, env: Record<string, string>): Promise<ConsoleProcess> {
  let child: ChildProcess | null = null;
  let output = '';
  const start = async () => {
    const proc = spawn(process.execPath, ['scripts/server.mjs'], {
      cwd: root,
      env: { ...process.env, ...env, NODE_ENV: 'production', PORT: String(port), HOSTNAME_BIND: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`Console ${name} exited while starting:\n${output}`);
      if (Date.now() > deadline) throw new Error(`Console ${name} did not answer on port ${port} within 60 s:\n${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/providers`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const kill = () =>
    new Promise<void>((resolve) => {
      const proc = child;
      child = null;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  await start();
  return { name, port, origin: `http://localhost:${port}`, kill, restart: start, output: () => output };
}
