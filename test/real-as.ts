import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port';

/**
 * panva's oidc-provider as e2e/support/smart-as.mjs configures it, started on loopback for a vitest file: a real,
 * standards-following authorization server whose every answer is the package's own.
 */
export interface RealAuthorizationServer {
  issuer: string;
  /** Everything it printed, including one line per refused request with oidc-provider's own reason. */
  output: string[];
  stop(): void;
}

const AS_SCRIPT = fileURLToPath(new URL('../e2e/support/smart-as.mjs', import.meta.url));

export async function startRealAuthorizationServer(env: Record<string, string> = {}): Promise<RealAuthorizationServer> {
  const port = await freePort();
  const output: string[] = [];
  let child: ChildProcess;
  const issuer = await new Promise<string>((resolve, reject) => {
    child = spawn(process.execPath, [AS_SCRIPT], { env: { ...process.env, ...env, SMART_AS_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error(`the AS did not start:\n${output.join('')}`)), 8_000);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const ready = /^ready (\S+)$/m.exec(output.join(''));
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the AS exited with ${code}:\n${output.join('')}`)));
  });
  return { issuer, output, stop: () => child.kill('SIGTERM') };
}
