import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendFhirRequest } from '@/lib/fhir/proxy';
import { bcda } from '@/lib/providers/bcda';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { simulatesTokenFailure, simulationHeaders } from './simulation';

const builtin = bcda.environments.find((e) => e.kind === 'builtin')!;
const real = bcda.environments.find((e) => e.kind !== 'builtin')!;

describe('simulationHeaders', () => {
  it('names the failures for the built-in sandbox only', () => {
    expect(simulationHeaders('builtin', ['invalid_client', 'expired_token'])).toEqual([['X-Console-Simulate', 'invalid_client,expired_token']]);
    expect(simulationHeaders('sandbox', ['invalid_client'])).toEqual([]);
    expect(simulationHeaders('production', ['invalid_client'])).toEqual([]);
    expect(simulationHeaders('builtin', [])).toEqual([]);
    expect(simulationHeaders('builtin', undefined)).toEqual([]);
  });

  it('says when the token endpoint itself is affected (then a live token is not reused)', () => {
    expect(simulatesTokenFailure('builtin', ['slow_token'])).toBe(true);
    expect(simulatesTokenFailure('builtin', ['expired_token', 'refused_scope', 'revoked_refresh'])).toBe(false);
    expect(simulatesTokenFailure('sandbox', ['invalid_client'])).toBe(false);
  });
});

describe('sendFhirRequest with simulated failures', () => {
  // A local server in place of the built-in sandbox and of the real BCDA host: it records the headers it was sent.
  const sent: IncomingHttpHeaders[] = [];
  let origin = '';
  let server: Server;
  beforeAll(async () => {
    server = createServer((req, res) => {
      sent.push(req.headers);
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' }).end('{"resourceType":"CapabilityStatement"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => void sent.splice(0));

  const request = { method: 'GET' as const, path: '/api/v2/metadata', headers: {}, previewLines: 5 };

  it('adds X-Console-Simulate towards the built-in sandbox, and it shows in the recorded exchange', async () => {
    const recorded: unknown[] = [];
    await sendFhirRequest(resolveEnvironment(bcda, builtin, origin), null, request, async (e) => void recorded.push(e), {
      simulations: ['expired_token'],
    });
    expect(sent[0]?.['x-console-simulate']).toBe('expired_token');
    expect(JSON.stringify(recorded)).toContain('X-Console-Simulate');
  });

  it('never sends it to another environment', async () => {
    await sendFhirRequest(resolveEnvironment(bcda, { ...real, origin }), null, request, async () => {}, { simulations: ['expired_token', 'invalid_client'] });
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty('x-console-simulate');
  });

  it('sends nothing extra when no failure is switched on', async () => {
    await sendFhirRequest(resolveEnvironment(bcda, builtin, origin), null, request, async () => {});
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty('x-console-simulate');
  });
});
