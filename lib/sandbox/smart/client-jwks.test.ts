import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleHost } from '@/lib/http/console-host';
import { createJwksCache, JWKS_UNREADABLE } from './client-jwks';
import { setEnv, testJwksId } from './test-helpers';

let server: Server | undefined;
let restoreEnv: () => void = () => undefined;
afterEach(async () => {
  restoreEnv();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** Serves `write`'s answer as the console (CONSOLE_INTERNAL_ORIGIN); the client names the console's JWKS URL. */
async function serveConsole(write: (res: import('node:http').ServerResponse) => void): Promise<string> {
  server = createServer((_req, res) => write(res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  restoreEnv = setEnv({ PORT: '3000', CONSOLE_INTERNAL_ORIGIN: origin, CONSOLE_PUBLIC_ORIGIN: undefined });
  return `http://localhost:3000/jwks/${testJwksId}`;
}

describe('client JWKS fetching', () => {
  it('stops reading a jwks_uri answer once it passes the size cap', async () => {
    let written = 0;
    const uri = await serveConsole((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const cache = createJwksCache(consoleHost, { maxBytes: 1024 });
    const client = { clientId: 'c', jwksUri: uri } as Parameters<typeof cache.keysFor>[0];
    const result = await cache.keysFor(client, 'kid', Date.now());
    expect(result).toEqual({ problem: JWKS_UNREADABLE });
    // The reader gave up long before the server's 64 MB.
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });
});
