import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeDto, SimulatedFailure } from '@/lib/contract/schemas';
import { sendFhirRequest } from '@/lib/fhir/proxy';
import { HttpError } from '@/lib/http/errors';
import { sendOutbound } from '@/lib/http/outbound';
import { getClientCredentialsToken } from '@/lib/oauth/token-service';
import { resolveFlow } from '@/lib/oauth/flow';
import { bcda } from '@/lib/providers/bcda';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { SessionVault } from '@/lib/session/vault';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { startLoopbackBcda } from '@/test/loopback-sandbox';
import { simulateHeader } from '@/lib/contract/simulated-failures';
import { withTransportFaults } from './transport-faults';

let sandbox: Awaited<ReturnType<typeof startLoopbackBcda>>;
beforeAll(async () => {
  sandbox = await startLoopbackBcda({ tokenRateLimit: { max: 1000, windowSeconds: 300 } });
});
afterAll(() => sandbox.close());

const builtin = bcda.environments.find((e) => e.id === 'builtin')!;
const env = () => resolveEnvironment(bcda, builtin, sandbox.origin);

function setup() {
  const vault = new SessionVault(new MemoryVaultStore(), { '1': 't'.repeat(32) });
  return { vault, sid: `sid-${Math.random().toString(36).slice(2)}` };
}

const metadata = { method: 'GET' as const, path: '/api/v2/metadata', headers: {}, previewLines: 20 };
const ignore = async (): Promise<void> => undefined;

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('transport faults of the built-in sandboxes, and what the BFF makes of them', () => {
  it('no_answer: the BFF gives up at its timeout and says so; the sandbox stops waiting when it does', async () => {
    const started = Date.now();
    const result = await sendOutbound(
      {
        method: 'GET',
        url: new URL(`${env().apiBaseUrl}/api/v2/metadata`),
        headers: [[simulateHeader, 'no_answer']],
        allowedOrigin: env().apiOrigin,
        timeoutMs: 300,
      },
      { kind: 'text' },
      { kind: 'fhir', providerId: 'bcda', environmentId: 'builtin', secrets: [] },
    );
    expect(result).toMatchObject({ ok: false, failure: { code: 'upstream_timeout', message: expect.stringContaining('did not answer in time') } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('malformed_json: a FHIR answer is shown as the text that came, not a crash', async () => {
    const response = await sendFhirRequest(env(), null, metadata, ignore, { simulations: ['malformed_json'] });
    expect(response.status).toBe(200);
    expect(response.bodyKind).toBe('text');
    expect(response.text).toContain('"resourceType"');
    expect(() => JSON.parse(response.text!)).toThrow();
  });

  it('malformed_json: a token answer is refused with an explanation', async () => {
    const { vault, sid } = setup();
    const flow = resolveFlow(bcda, 'builtin', { kind: 'preset', presetId: 'extra-small' }, sandbox.origin);
    const error = await failure(getClientCredentialsToken({ vault, sid, simulations: ['malformed_json'] }, flow));
    expect(error.status).toBeLessThan(600);
    expect(error.code).toBe('invalid_token_response');
    expect(error.message).toMatch(/JSON/);
  });

  it.each<[SimulatedFailure, RegExp]>([
    ['truncated_body', /answered 200, then the connection closed before the body was complete/],
    ['connection_reset', /closed the connection before answering|could not reach/i],
  ])('%s: the request fails with words that say what broke', async (fault, message) => {
    const recorded: ExchangeDto[] = [];
    const error = await failure(sendFhirRequest(env(), null, metadata, async (e) => void recorded.push(e), { simulations: [fault] }));
    expect(error.status).toBe(502);
    expect(error.message).toMatch(message);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.error).toMatch(message);
  });

  it('slow_body: the answer arrives whole, later', async () => {
    const started = Date.now();
    const response = await sendFhirRequest(env(), null, metadata, ignore, { simulations: ['slow_body'] });
    expect(response.bodyKind).toBe('json');
    expect(response.json).toMatchObject({ resourceType: 'CapabilityStatement' });
    expect(Date.now() - started).toBeGreaterThan(3000);
  }, 20_000);

  it('passes requests without a transport fault through untouched', async () => {
    const request = new Request('http://sandbox.test/x', { headers: { [simulateHeader]: 'expired_token' } });
    const response = await withTransportFaults(request, async () => new Response('as is', { status: 201 }));
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('as is');
  });
});
