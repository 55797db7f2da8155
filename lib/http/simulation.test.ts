import { afterEach, describe, expect, it, vi } from 'vitest';
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
  afterEach(() => vi.unstubAllGlobals());

  function captureFetch() {
    const sent: Headers[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: URL, init: RequestInit) => {
        sent.push(new Headers(init.headers));
        return new Response('{"resourceType":"CapabilityStatement"}', { headers: { 'Content-Type': 'application/fhir+json' } });
      }),
    );
    return sent;
  }
  const request = { method: 'GET' as const, path: '/api/v2/metadata', headers: {}, previewLines: 5 };

  it('adds X-Console-Simulate towards the built-in sandbox, and it shows in the recorded exchange', async () => {
    const sent = captureFetch();
    const recorded: unknown[] = [];
    await sendFhirRequest(resolveEnvironment(bcda, builtin, 'http://127.0.0.1:3999'), null, request, async (e) => void recorded.push(e), {
      simulations: ['expired_token'],
    });
    expect(sent[0]?.get('x-console-simulate')).toBe('expired_token');
    expect(JSON.stringify(recorded)).toContain('X-Console-Simulate');
  });

  it('never sends it to another environment', async () => {
    const sent = captureFetch();
    await sendFhirRequest(resolveEnvironment(bcda, real), null, request, async () => {}, { simulations: ['expired_token', 'invalid_client'] });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.has('x-console-simulate')).toBe(false);
  });

  it('sends nothing extra when no failure is switched on', async () => {
    const sent = captureFetch();
    await sendFhirRequest(resolveEnvironment(bcda, builtin, 'http://127.0.0.1:3999'), null, request, async () => {});
    expect(sent[0]?.has('x-console-simulate')).toBe(false);
  });
});
