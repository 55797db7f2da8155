import { createLocalJWKSet, importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { withSharedRedis } from '@/test/shared-redis';
import { createTestClock } from '../shared/test-helpers';
import { createCandidSandbox, type CandidSandboxOptions } from './index';
import { getAccessToken, getPreset, getWithToken, jsonTokenRequest, send } from './test-helpers';
import { tokenAudience } from './token';

// Instances of the console behind a round-robin balancer share one Redis: every request of a flow goes to the other one.
const SECRET = 's'.repeat(40);
const shared = withSharedRedis(SECRET);
const tokenPath = '/api/auth/v2/token';

/** Instances sharing one Redis prefix (a fresh one per test), as consoles sharing `REDIS_URL` and the session secret. */
function cluster(options: Omit<CandidSandboxOptions, 'state'> = {}) {
  const keyPrefix = `candid-${Math.random().toString(36).slice(2)}:`;
  const instance = () => {
    const state = shared.state(keyPrefix);
    return createCandidSandbox({ ...options, state });
  };
  return { a: instance(), b: instance(), instance, keyPrefix };
}

describe('Candid sandbox on shared state', () => {
  it('accepts on B’s API the token A minted, and on a restarted instance', async () => {
    const { a, b, instance } = cluster();
    const token = await getAccessToken(a, 'demo-billing');
    const encounters = await getWithToken(b, '/api/encounters/v4?limit=2', token);
    expect(encounters.status).toBe(200);
    const page = (await encounters.json()) as { items: Array<{ encounter_id: string }> };
    expect(page.items.length).toBeGreaterThan(0);
    const one = await getWithToken(a, `/api/encounters/v4/${page.items[0]?.encounter_id}`, token);
    expect(one.status).toBe(200);
    expect((await getWithToken(b, '/api/payers/v3', token)).status).toBe(200);
    expect((await getWithToken(instance(), '/api/payers/v3', token)).status).toBe(200);
  });

  it('signs with one key, even when both instances make it at once: A’s token verifies with B’s JWKS and PEM', async () => {
    const { a, b } = cluster();
    const [fromA, fromB] = await Promise.all([getAccessToken(a, 'demo-billing'), getAccessToken(b, 'demo-read-only')]);
    const jwksOfB = (await (await send(b, '/.well-known/jwks.json')).json()) as { keys: Array<{ kid: string }> };
    expect(jwksOfB.keys).toHaveLength(1);
    await expect(jwtVerify(fromA, createLocalJWKSet(jwksOfB as never), { audience: tokenAudience })).resolves.toBeDefined();
    const pemOfA = await (await send(a, '/pem')).text();
    expect(await (await send(b, '/pem')).text()).toBe(pemOfA);
    await expect(jwtVerify(fromB, await importSPKI(pemOfA, 'RS256'), { audience: tokenAudience })).resolves.toBeDefined();
    expect((await getWithToken(a, '/api/payers/v3', fromB)).status).toBe(200);
  });

  it('counts the per-client token limit across instances', async () => {
    const clock = createTestClock();
    const { a, b } = cluster({ now: clock.now, tokenRateLimit: { max: 2, windowSeconds: 60 } });
    const billing = getPreset('demo-billing');
    const mint = (sandbox: typeof a) => send(sandbox, tokenPath, jsonTokenRequest(billing.clientId, billing.clientSecret));
    expect((await mint(a)).status).toBe(200);
    clock.advance(1_000);
    expect((await mint(b)).status).toBe(200);
    clock.advance(29_000);
    const limited = await mint(a);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect((await mint(b)).status).toBe(429);
    clock.advance(30_000);
    expect((await mint(b)).status).toBe(200);
  });

  it('counts hits racing on both instances once each', async () => {
    const { a, b } = cluster({ tokenRateLimit: { max: 3, windowSeconds: 60 } });
    const billing = getPreset('demo-billing');
    const responses = await Promise.all(
      [a, b, a, b, a, b].map((sandbox) => send(sandbox, tokenPath, jsonTokenRequest(billing.clientId, billing.clientSecret))),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it('keeps no token, credential or private key in Redis as plain text', async () => {
    const { a, b, keyPrefix } = cluster();
    const billing = getPreset('demo-billing');
    const token = await getAccessToken(a, 'demo-billing');
    expect((await getWithToken(b, '/api/payers/v3', token)).status).toBe(200);
    const dump = await shared.dump(keyPrefix);
    expect(dump.length).toBeGreaterThan(0);
    for (const secret of [token, token.split('.')[2] ?? '', billing.clientSecret, billing.clientId, '"d"', 'PRIVATE KEY']) {
      expect(dump).not.toContain(secret);
    }
  });
});
