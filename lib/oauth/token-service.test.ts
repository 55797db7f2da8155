import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/http/errors';
import { bcda } from '@/lib/providers/bcda';
import { resolveEnvironment } from '@/lib/providers/resolve';
import type { TokenRequest } from '@/lib/contract/schemas';
import { resolveFlow } from './flow';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault } from '@/lib/session/vault';
import { startLoopbackBcda } from '@/test/loopback-sandbox';
import { getClientCredentialsToken } from './token-service';
import { catchHttpError } from '@/test/http-error';

const builtin = bcda.environments.find((e) => e.id === 'builtin')!;
const production = bcda.environments.find((e) => e.id === 'production')!;
const presetSecrets = bcda.presets.map((p) => p.clientSecret);

let sandbox: Awaited<ReturnType<typeof startLoopbackBcda>>;
beforeAll(async () => {
  sandbox = await startLoopbackBcda({ tokenRateLimit: { max: 4, windowSeconds: 300 } });
});
afterAll(() => sandbox.close());

const preset = (presetId: string): TokenRequest['credential'] => ({ kind: 'preset', presetId });

function setup(origin = sandbox.origin) {
  const vault = new SessionVault(new MemoryVaultStore(), { '1': 'p'.repeat(32) });
  const sid = `sid-${Math.random().toString(36).slice(2)}`;
  const flow = (credential: TokenRequest['credential']) => resolveFlow(bcda, 'builtin', credential, origin);
  return { vault, sid, flow, env: resolveEnvironment(bcda, builtin, origin) };
}

describe('getClientCredentialsToken against the built-in BCDA sandbox over loopback', () => {
  it('mints, verifies and stores a token, and records redacted exchanges', async () => {
    const { vault, sid, flow } = setup();
    const { token, reused } = await getClientCredentialsToken({ vault, sid }, flow(preset('extra-small')));
    expect(reused).toBeUndefined();
    expect(token.verification.status).toBe('verified');
    expect(token.expiresInRaw).toBe('1200');
    expect(token.expiresAt - token.issuedAt).toBe(1_200_000);
    expect(token.deviations.map((d) => d.code)).toEqual(['no_grant_type', 'token_type_case', 'expires_in_string']);
    expect(await vault.getToken(sid, 'bcda')).toEqual(token);

    const exchanges = await vault.listExchanges(sid);
    expect(exchanges.map((e) => [e.kind, e.method, e.status])).toEqual([
      ['token', 'POST', 200],
      ['jwks', 'GET', 200],
    ]);
    const recorded = JSON.stringify(exchanges);
    expect(recorded).not.toContain(token.accessToken);
    for (const secret of presetSecrets) expect(recorded).not.toContain(secret);
    expect(exchanges[0]?.request.headers).toContainEqual(['Authorization', 'Basic [redacted]']);
    expect(exchanges[0]?.response?.body).toMatch(/^\{"access_token": "\[redacted hmac:[0-9a-f]{12} \d+ chars\]", "expires_in": "1200", "token_type":"bearer"\}$/);
  });

  it('never answers other credentials with a live token: a wrong secret for the same client ID meets the provider’s refusal', async () => {
    const own = await startLoopbackBcda();
    try {
      const { vault, sid, flow } = setup(own.origin);
      const extraSmall = bcda.presets.find((p) => p.id === 'extra-small')!;
      const custom = (clientSecret: string): TokenRequest['credential'] => ({ kind: 'custom', clientId: extraSmall.clientId, clientSecret });
      const minted = await getClientCredentialsToken({ vault, sid }, flow(preset('extra-small')));
      // Same client ID, typed by hand with a wrong secret: not the preset's token.
      const wrong = await catchHttpError(getClientCredentialsToken({ vault, sid }, flow(custom('not-the-secret-0123456789'))));
      expect(wrong.status).toBe(424);
      // The right secret typed by hand mints its own token, and that one is reused for the same secret only.
      const typed = await getClientCredentialsToken({ vault, sid }, flow(custom(extraSmall.clientSecret)));
      expect(typed.reused).toBeUndefined();
      expect(typed.token.accessToken).not.toBe(minted.token.accessToken);
      const again = await getClientCredentialsToken({ vault, sid }, flow(custom(extraSmall.clientSecret)));
      expect(again.reused).toBeDefined();
      expect(again.token.accessToken).toBe(typed.token.accessToken);
      expect(JSON.stringify(again.token.credential)).not.toContain(extraSmall.clientSecret);
      await expect(catchHttpError(getClientCredentialsToken({ vault, sid }, flow(custom('another-wrong-secret-0123'))))).resolves.toMatchObject({ status: 424 });
    } finally {
      await own.close();
    }
  });

  it('SECURITY 8: reuses a live client-credentials token for the same credential set unless asked for a new one', async () => {
    const { vault, sid, flow } = setup();
    const first = await getClientCredentialsToken({ vault, sid }, flow(preset('extra-small')));
    const second = await getClientCredentialsToken({ vault, sid }, flow(preset('extra-small')));
    expect(second.reused?.reason).toContain('please cache and reuse them');
    expect(second.token.accessToken).toBe(first.token.accessToken);
    const other = await getClientCredentialsToken({ vault, sid }, flow(preset('advanced-extra-small')));
    expect(other.reused).toBeUndefined();
    const forced = await getClientCredentialsToken({ vault, sid }, flow(preset('advanced-extra-small')), { forceNew: true });
    expect(forced.reused).toBeUndefined();
    expect(forced.token.accessToken).not.toBe(other.token.accessToken);
  });

  it("explains BCDA's plain-text 401 for a wrong secret and keeps the typed secret out of the record", async () => {
    const { vault, sid, flow } = setup();
    const typed = 'wrong-secret-typed-by-the-user-0123456789';
    const error = await catchHttpError(
      getClientCredentialsToken({ vault, sid }, flow({ kind: 'custom', clientId: bcda.presets[0]!.clientId, clientSecret: typed })),
    );
    expect(error.status).toBe(424);
    expect(error.code).toBe('upstream_rejected');
    expect(error.extra.upstream).toEqual({ status: 401, contentType: 'text/plain; charset=utf-8', body: 'Unauthorized\n' });
    expect(await vault.getToken(sid, 'bcda')).toBeNull();
    const recorded = JSON.stringify(await vault.listExchanges(sid));
    expect(recorded).toContain('"status":401');
    expect(recorded).not.toContain(typed);
    expect(recorded).not.toContain(Buffer.from(`${bcda.presets[0]!.clientId}:${typed}`).toString('base64'));
  });

  it("passes BCDA's 429 and its Retry-After on when tokens are minted too often", async () => {
    const { vault, sid, flow } = setup();
    const mint = () => getClientCredentialsToken({ vault, sid }, flow(preset('reach-extra-small')), { forceNew: true });
    const results = await Promise.allSettled(Array.from({ length: 6 }, mint));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as HttpError);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]).toMatchObject({ status: 429, code: 'upstream_rate_limited', headers: { 'Retry-After': '300' } });
    expect(rejected[0]?.message).toContain('Retry after 300 seconds');
  });

  it('sends the session\'s simulated failures to the built-in sandbox and skips reuse for a token-side one', async () => {
    // Its own sandbox: the shared one's rate limit is counted by the other tests.
    const own = await startLoopbackBcda();
    const { vault, sid, flow } = setup(own.origin);
    const live = await getClientCredentialsToken({ vault, sid }, flow(preset('extra-small')));
    const error = await catchHttpError(getClientCredentialsToken({ vault, sid, simulations: ['invalid_client'] }, flow(preset('extra-small'))));
    expect(error.extra.upstream).toEqual({ status: 401, contentType: 'text/plain; charset=utf-8', body: 'Unauthorized\n' });
    const exchanges = await vault.listExchanges(sid);
    expect(exchanges.at(-1)?.request.headers).toContainEqual(['X-Console-Simulate', 'invalid_client']);
    expect(exchanges[0]?.request.headers.some(([name]) => name === 'X-Console-Simulate')).toBe(false);
    // An API-side failure does not stop reuse; switched off, everything is as before.
    const reused = await getClientCredentialsToken({ vault, sid, simulations: ['expired_token'] }, flow(preset('extra-small')));
    expect(reused.token.accessToken).toBe(live.token.accessToken);
    await own.close();
  });

  it('refuses sandbox presets in production before sending anything', () => {
    expect(() => resolveFlow(bcda, production.id, preset('extra-small'))).toThrow(
      expect.objectContaining({ status: 400, code: 'preset_not_for_environment' }),
    );
  });

  it('answers a clear 502 when the token endpoint is unreachable', async () => {
    const closed = await startLoopbackBcda();
    await closed.close();
    const { vault, sid, flow } = setup(closed.origin);
    const error = await catchHttpError(getClientCredentialsToken({ vault, sid }, flow(preset('extra-small'))));
    expect(error).toMatchObject({ status: 502, code: 'upstream_unreachable' });
    expect(error.message).toContain('refused the connection');
    expect((await vault.listExchanges(sid))[0]).toMatchObject({ status: null, response: null });
  });
});
