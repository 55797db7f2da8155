import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '@/lib/http/redact';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault } from '@/lib/session/vault';
import type { ResolvedFlow } from './flow';
import { lifecycleOf } from '@/lib/client/lifecycle';
import { refreshSessionToken } from './refresh';
import { demoProvider, startFormEndpoint, storedTokenFixture } from './test-helpers';
import { toTokenDto } from './token-dto';

/**
 * Refresh against servers that rotate and servers that do not (issue #13, 7.1), and under concurrency (SECURITY 8).
 * RFC 6749 §6 lets a server answer a refresh with a new refresh token, the same one, or none, and only the first is
 * a rotation. The server reads the behaviour from the refresh token it is sent: `rt-same-…` comes back unchanged,
 * `rt-none-…` gets no refresh_token, anything else is rotated; `rt-once-…` works once (RFC 9700 §4.14.2), then
 * `invalid_grant`. It answers after 30 ms, so parallel refreshes overlap.
 */
let origin = '';
let issued = 0;
let calls: URLSearchParams[] = [];
let close: () => Promise<void>;
const spent = new Set<string>();
beforeAll(async () => {
  ({ origin, calls, close } = await startFormEndpoint((form) => {
    const used = form.get('refresh_token') ?? '';
    if (used.startsWith('rt-once-') && spent.has(used)) return { status: 400, json: { error: 'invalid_grant' } };
    spent.add(used);
    issued += 1;
    const answer: Record<string, unknown> = { access_token: `at-${issued}-refreshed-access-token`, token_type: 'Bearer', expires_in: 3600 };
    if (used.startsWith('rt-same-')) answer.refresh_token = used;
    else if (!used.startsWith('rt-none-')) answer.refresh_token = `rt-rotated-${issued}-yyyyyyyyyyyy`;
    return { status: 200, json: answer };
  }, 30));
});
afterAll(() => close());

const provider = demoProvider({ grant: { refresh: { supported: true, rotates: false } } });

/** A session holding an expired token with `refreshToken`, in a vault on `store`. */
async function sessionWithExpiredToken(refreshToken: string, store = new MemoryVaultStore()) {
  const vault = new SessionVault(store, { '1': 'z'.repeat(32) });
  const sid = `sid-${Math.random().toString(36).slice(2)}`;
  const env = resolveEnvironment(provider, provider.environments[0]!, origin);
  const flow: ResolvedFlow = { provider, env, grant: provider.grant, credential: { kind: 'custom', label: 'mine', clientId: 'client-1', clientSecret: 'secret-1-abcdef' } };
  const first = storedTokenFixture({
    accessToken: 'at-0-first-access-token',
    refreshToken,
    issuedAt: Date.now() - 3_600_000,
    expiresAt: Date.now() - 1000,
  });
  await vault.putToken(sid, first);
  return { store, vault, sid, flow, first, ctx: { vault, sid } };
}

async function refreshWith(refreshToken: string) {
  const { vault, sid, flow, first } = await sessionWithExpiredToken(refreshToken);
  const refreshed = await refreshSessionToken({ vault, sid }, first, flow);
  const stored = (await vault.getToken(sid, 'demo'))!;
  const dto = toTokenDto(stored, undefined, provider.grant.refresh.rotates);
  return { refreshed, stored, dto, events: lifecycleOf(dto, Date.now()) };
}

describe('refreshSessionToken with servers that do not rotate', () => {
  it('SECURITY 8: a server that returns the same refresh token: kept, not rotated, and the history says so', async () => {
    const used = 'rt-same-0123456789abcdef';
    const { refreshed, stored, dto, events } = await refreshWith(used);
    expect(refreshed.accessToken).toMatch(/^at-\d+-refreshed/);
    expect(stored.refreshToken).toBe(used);
    expect(stored.refreshHistory).toEqual([{ at: stored.issuedAt, usedFingerprint: fingerprint(used).hmacPrefix, newFingerprint: null }]);
    expect(dto.refresh?.fingerprint.hmacPrefix).toBe(fingerprint(used).hmacPrefix);
    const refresh = events.find((e) => e.type === 'refreshed' || e.type === 'rotated');
    expect(refresh).toMatchObject({ type: 'refreshed', detail: expect.stringContaining('kept the same refresh token') });
    expect(events.some((e) => e.type === 'rotated')).toBe(false);
  });

  it('SECURITY 8: a server that returns no refresh token: the old one stays, not rotated, and the history says so', async () => {
    const used = 'rt-none-0123456789abcdef';
    const { refreshed, stored, events } = await refreshWith(used);
    // RFC 6749 §6: without a new refresh token the old one stays valid, and is kept.
    expect(refreshed.refreshToken).toBe(used);
    expect(stored.refreshToken).toBe(used);
    expect(stored.refreshHistory).toEqual([{ at: stored.issuedAt, usedFingerprint: fingerprint(used).hmacPrefix, newFingerprint: null }]);
    expect(events.find((e) => e.type === 'refreshed')?.detail).toContain('kept the same refresh token');
    expect(events.some((e) => e.type === 'rotated')).toBe(false);
  });

  it('a server that rotates: the new refresh token is stored and the history names both', async () => {
    const used = 'rt-first-0123456789abcdef';
    const { stored, events } = await refreshWith(used);
    expect(stored.refreshToken).toMatch(/^rt-rotated-/);
    expect(stored.refreshHistory).toEqual([
      { at: stored.issuedAt, usedFingerprint: fingerprint(used).hmacPrefix, newFingerprint: fingerprint(stored.refreshToken!).hmacPrefix },
    ]);
    expect(events.find((e) => e.type === 'rotated')?.detail).toContain('which is now retired');
  });
});

describe('refreshSessionToken under concurrency and refusal', () => {
  it('SECURITY 8: ten parallel refreshes of an expired token make exactly one upstream refresh; all ten get the rotated token, stored before anyone is answered', async () => {
    const { ctx, flow, vault, sid, first } = await sessionWithExpiredToken(`rt-once-${Math.random().toString(36).slice(2)}`);
    const before = calls.length;
    const storedWhenAnswered: (string | undefined)[] = [];
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        refreshSessionToken(ctx, first, flow).then(async (t) => {
          storedWhenAnswered.push((await vault.getToken(sid, 'demo'))?.refreshToken);
          return t;
        }),
      ),
    );
    expect(calls.length - before).toBe(1);
    expect(calls.at(-1)!.get('grant_type')).toBe('refresh_token');
    const stored = (await vault.getToken(sid, 'demo'))!;
    expect(stored.accessToken).not.toBe(first.accessToken);
    for (const result of results) {
      expect(result.accessToken).toBe(stored.accessToken);
      expect(result.refreshToken).toBe(stored.refreshToken);
    }
    expect(storedWhenAnswered).toEqual(Array(10).fill(stored.refreshToken));
    expect(stored.refreshToken).not.toBe(first.refreshToken);
    expect(stored.refreshHistory).toHaveLength(1);
    expect(stored.refreshHistory[0]?.newFingerprint).not.toBeNull();
  });

  it('SECURITY 8: waits while another console instance (same store) refreshes, then uses its token without a second refresh', async () => {
    const { ctx, flow, store, sid, first } = await sessionWithExpiredToken(`rt-once-${Math.random().toString(36).slice(2)}`);
    const otherInstance = new SessionVault(store, { '1': 'z'.repeat(32) });
    const lock = await otherInstance.lockRefresh(sid, 'demo', 5000);
    expect(lock).not.toBeNull();
    const before = calls.length;
    const waiting = refreshSessionToken(ctx, first, flow);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls.length).toBe(before); // Still waiting for the lock.
    const theirs = { ...first, accessToken: 'rotated-by-the-other-instance', issuedAt: first.issuedAt + 1 };
    await otherInstance.putToken(sid, theirs);
    await lock!.release();
    expect((await waiting).accessToken).toBe('rotated-by-the-other-instance');
    expect(calls.length).toBe(before);
  });

  it('SECURITY 8: invalid_grant drops the tokens and answers reauth_required, with no retry', async () => {
    const { ctx, flow, vault, sid, first } = await sessionWithExpiredToken(`rt-once-${Math.random().toString(36).slice(2)}`);
    const rotated = await refreshSessionToken(ctx, first, flow);
    // A caller holding the stale token gets the rotated one instead of spending the used refresh token.
    expect(await refreshSessionToken(ctx, first, flow)).toEqual(rotated);
    // The vault holds a token whose refresh token the provider already rotated away.
    await vault.putToken(sid, first);
    await expect(refreshSessionToken(ctx, first, flow)).rejects.toMatchObject({ status: 409, code: 'reauth_required' });
    expect(await vault.getToken(sid, 'demo')).toBeNull();
    const [ended] = await vault.getEndedTokens(sid, ['demo']);
    expect(ended).toMatchObject({ providerId: 'demo', credentialLabel: 'mine', reason: expect.stringContaining('no longer valid') });
    expect(JSON.stringify(ended)).not.toContain(first.refreshToken!);
    const recorded = JSON.stringify(await vault.listExchanges(sid));
    expect(recorded).not.toContain(first.refreshToken!);
    expect(recorded).not.toContain('secret-1-abcdef');
  });
});
