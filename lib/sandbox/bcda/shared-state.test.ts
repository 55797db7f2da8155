import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { withSharedRedis } from '@/test/shared-redis';
import { basicAuthorization, createTestClock } from '../shared/test-helpers';
import { createBcdaSandbox, type BcdaSandboxOptions } from './index';
import { bulkHeaders, getAccessToken, getPreset, send, toSandboxPath } from './test-helpers';

// Instances of the console behind a round-robin balancer share one Redis: every request of a flow goes to the other one.
const SECRET = 's'.repeat(40);
const shared = withSharedRedis(SECRET);

/** Instances sharing one Redis prefix (a fresh one per test), as consoles sharing `REDIS_URL` and the session secret. */
function cluster(options: Omit<BcdaSandboxOptions, 'state'> = {}) {
  const keyPrefix = `bcda-${Math.random().toString(36).slice(2)}:`;
  const instance = () => {
    const state = shared.state(keyPrefix);
    return createBcdaSandbox({ ...options, state });
  };
  return { a: instance(), b: instance(), instance, keyPrefix };
}

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

describe('BCDA sandbox on shared state', () => {
  it('runs token, kick-off, status, download and the job list across instances, and after a restart', async () => {
    const clock = createTestClock();
    const { a, b, instance } = cluster({ now: clock.now, jobDurationMs: () => 2000 });

    const token = await getAccessToken(a, 'extra-small');
    const kickoff = await send(b, '/api/v2/Patient/$export', { headers: bulkHeaders(token) });
    expect(kickoff.status).toBe(202);
    const statusPath = toSandboxPath(kickoff.headers.get('content-location') ?? '');

    const pending = await send(a, statusPath, bearer(token));
    expect(pending.status).toBe(202);
    expect(pending.headers.get('x-progress')).toBe('Pending');
    clock.advance(1000);
    const running = await send(b, statusPath, bearer(token));
    expect(running.headers.get('x-progress')).toBe('In Progress (50%)');
    clock.advance(1000);
    const done = await send(a, statusPath, bearer(token));
    expect(done.status).toBe(200);
    const manifest = (await done.json()) as { output: Array<{ type: string; url: string }>; JobID: number };
    expect(manifest.output.map((file) => file.type)).toEqual(['Patient', 'ExplanationOfBenefit', 'Coverage']);

    const patients = await send(b, toSandboxPath(manifest.output[0]?.url ?? ''), bearer(token));
    expect(patients.status).toBe(200);
    expect(patients.headers.get('content-type')).toBe('application/fhir+ndjson');
    const firstLine = JSON.parse((await patients.text()).split('\n')[0] ?? '') as { resourceType: string };
    expect(firstLine.resourceType).toBe('Patient');

    const list = await send(a, '/api/v2/jobs', { headers: { ...bulkHeaders(token) } });
    expect(list.status).toBe(200);
    const bundle = (await list.json()) as { total: number; entry: Array<{ resource: { status: string; identifier: Array<{ value: string }> } }> };
    expect(bundle.total).toBe(1);
    expect(bundle.entry[0]?.resource).toMatchObject({ status: 'completed', identifier: [{ value: String(manifest.JobID) }] });

    // A restarted instance (nothing in its memory) answers the same job, and verifies the token the others signed.
    const restarted = instance();
    expect((await send(restarted, statusPath, bearer(token))).status).toBe(200);
    const coverage = await send(restarted, toSandboxPath(manifest.output[2]?.url ?? ''), bearer(token));
    expect(coverage.status).toBe(200);
    await coverage.body?.cancel();
  });

  it('numbers jobs from one sequence, whichever instance kicks off, even at once', async () => {
    const { a, b } = cluster();
    const token = await getAccessToken(b, 'extra-small');
    const kickoffs = await Promise.all([a, b, a, b].map((sandbox) => send(sandbox, '/api/v2/Patient/$export', { headers: bulkHeaders(token) })));
    const ids = kickoffs.map((response) => Number(response.headers.get('content-location')?.split('/').pop()));
    expect([...ids].sort()).toEqual([1, 2, 3, 4]);
    const list = (await (await send(a, '/api/v2/jobs', { headers: bulkHeaders(token) })).json()) as { total: number };
    expect(list.total).toBe(4);
  });

  it('cancels on one instance what the other reports as cancelled; two cancels at once: one wins', async () => {
    const { a, b } = cluster({ jobDurationMs: () => 60_000 });
    const token = await getAccessToken(a, 'extra-small');
    const kickoff = await send(b, '/api/v2/Patient/$export', { headers: bulkHeaders(token) });
    const statusPath = toSandboxPath(kickoff.headers.get('content-location') ?? '');

    expect((await send(a, statusPath, { method: 'DELETE', ...bearer(token) })).status).toBe(202);
    const status = await send(b, statusPath, bearer(token));
    expect(status.status).toBe(404);
    expect(((await status.json()) as { issue: Array<{ diagnostics: string }> }).issue[0]?.diagnostics).toBe('Job has been cancelled.');
    expect((await send(a, statusPath, { method: 'DELETE', ...bearer(token) })).status).toBe(410);

    const second = await send(a, '/api/v2/Patient/$export', { headers: bulkHeaders(token) });
    const secondPath = toSandboxPath(second.headers.get('content-location') ?? '');
    const cancels = await Promise.all([a, b].map((sandbox) => send(sandbox, secondPath, { method: 'DELETE', ...bearer(token) })));
    expect(cancels.map((response) => response.status).sort()).toEqual([202, 410]);
  });

  it('counts the per-ACO token limit across instances', async () => {
    const clock = createTestClock();
    const { a, b } = cluster({ now: clock.now, tokenRateLimit: { max: 2, windowSeconds: 60 } });
    const preset = getPreset('extra-small');
    const request = () => ({ method: 'POST', headers: { Authorization: basicAuthorization(preset.clientId, preset.clientSecret) } });
    expect((await send(a, '/auth/token', request())).status).toBe(200);
    expect((await send(b, '/auth/token', request())).status).toBe(200);
    const limited = await send(a, '/auth/token', request());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect((await send(b, '/auth/token', request())).status).toBe(429);
    clock.advance(60_000);
    expect((await send(b, '/auth/token', request())).status).toBe(200);
  });

  it('signs with one key: a token from A verifies with B’s JWKS, even when both make their key at once', async () => {
    const { a, b } = cluster();
    const [fromA, fromB] = await Promise.all([getAccessToken(a, 'extra-small'), getAccessToken(b, 'extra-small')]);
    const jwksOfB = (await (await send(b, '/.well-known/jwks.json')).json()) as { keys: Array<{ kid: string }> };
    expect(jwksOfB.keys).toHaveLength(1);
    expect(decodeProtectedHeader(fromA!).kid).toBe(jwksOfB.keys[0]?.kid);
    await expect(jwtVerify(fromA!, createLocalJWKSet(jwksOfB as never), { issuer: 'ssas' })).resolves.toBeDefined();
    const jwksOfA = (await (await send(a, '/.well-known/jwks.json')).json()) as unknown;
    expect(jwksOfA).toEqual(jwksOfB);
    expect((await send(a, '/auth/welcome', bearer(fromB!))).status).toBe(200);
  });

  it('keeps no token, credential, ACO id or file name in Redis as plain text', async () => {
    const clock = createTestClock();
    const { a, b, keyPrefix } = cluster({ now: clock.now, jobDurationMs: () => 0 });
    const preset = getPreset('extra-small');
    const token = await getAccessToken(a, 'extra-small');
    const kickoff = await send(b, '/api/v2/Patient/$export', { headers: bulkHeaders(token) });
    const manifest = (await (await send(a, toSandboxPath(kickoff.headers.get('content-location') ?? ''), bearer(token))).json()) as {
      output: Array<{ url: string }>;
    };
    const dump = await shared.dump(keyPrefix);
    expect(dump.length).toBeGreaterThan(0);
    const fileNames = manifest.output.map((file) => file.url.split('/').pop() ?? '');
    for (const secret of [token, token.split('.')[2] ?? '', preset.clientSecret, preset.clientId, String(preset.facts?.acoId ?? 'SBXBD001'), 'ExplanationOfBenefit', '"d"', ...fileNames]) {
      expect(dump).not.toContain(secret);
    }
  });
});
