import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createJwksCache } from './client-jwks';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(write: (res: import('node:http').ServerResponse) => void): Promise<string> {
  server = createServer((_req, res) => write(res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
}

describe('client JWKS fetching', () => {
  it('stops reading a jwks_uri answer once it passes the size cap', async () => {
    let written = 0;
    const uri = await serve((res) => {
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
    const cache = createJwksCache({ maxBytes: 1024 });
    const client = { clientId: 'c', jwksUri: uri } as Parameters<typeof cache.keysFor>[0];
    const result = await cache.keysFor(client, 'kid', Date.now());
    expect(result).toMatchObject({ problem: expect.stringMatching(/larger than 1024 bytes/) });
    // The reader gave up long before the server's 64 MB.
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });
});
