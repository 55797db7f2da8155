import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPublicLiteral, publicOnlyLookup } from './address-policy';
import { sendOutbound } from './outbound';

const lookup = (host: string, env: Record<string, string> = {}) =>
  new Promise<string>((resolve, reject) => publicOnlyLookup(env)(host, { family: 0 }, (error, address) => (error ? reject(error) : resolve(String(address)))));

describe('address policy for servers a user added', () => {
  it('SECURITY 9: refuses IP literals into the console’s own network before connecting', () => {
    expect(() => assertPublicLiteral('10.1.2.3', {})).toThrow(/private-network/);
    expect(() => assertPublicLiteral('169.254.169.254', {})).toThrow(/metadata/);
    expect(() => assertPublicLiteral('[fd00::1]', {})).toThrow(/unique-local/);
    expect(() => assertPublicLiteral('127.0.0.1', {})).toThrow(/loopback/);
    expect(() => assertPublicLiteral('93.184.215.14', {})).not.toThrow();
    expect(() => assertPublicLiteral('fhir.example.org', {})).not.toThrow();
  });

  it('SECURITY 9: checks a name’s resolved addresses in the lookup the socket connects with', async () => {
    await expect(lookup('localhost')).rejects.toThrow(/localhost resolves to .*loopback/);
    await expect(lookup('localhost', { CONSOLE_ALLOW_LOOPBACK_PROVIDERS: '1' })).resolves.toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  it('SECURITY 9: a request to a name that resolves to loopback never reaches the server', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = new URL(`http://localhost:${port}/.well-known/smart-configuration`);
    try {
      delete process.env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS;
      await expect(
        sendOutbound({ method: 'GET', url, headers: [], allowedOrigin: url.origin, publicAddressesOnly: true }, { kind: 'text' }, { kind: 'other', providerId: 'custom', environmentId: 'x', secrets: [] }),
      ).rejects.toThrow(/resolves to .*loopback/);
      expect(hits).toBe(0);
      const allowed = await sendOutbound({ method: 'GET', url, headers: [], allowedOrigin: url.origin, publicAddressesOnly: false }, { kind: 'text' }, { kind: 'other', providerId: 'custom', environmentId: 'x', secrets: [] });
      expect(allowed.ok).toBe(true);
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });
});
