import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '@/lib/http/redact';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault } from '@/lib/session/vault';
import type { ResolvedFlow } from './flow';
import { lifecycleOf } from '@/lib/client/lifecycle';
import { refreshSessionToken } from './refresh';
import { demoProvider, listenOnLoopback, storedTokenFixture } from './test-helpers';
import { toTokenDto } from './token-dto';

/**
 * Refresh against servers that rotate and servers that do not (issue #13, 7.1): RFC 6749 §6 lets a server answer a
 * refresh with a new refresh token, the same one, or none, and only the first is a rotation. The server reads the
 * behaviour from the refresh token it is sent: `rt-same-…` comes back unchanged, `rt-none-…` gets no refresh_token,
 * anything else is rotated.
 */
let server: Server;
let origin = '';
let issued = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const used = new URLSearchParams(body).get('refresh_token') ?? '';
      issued += 1;
      const answer: Record<string, unknown> = { access_token: `at-${issued}-refreshed-access-token`, token_type: 'Bearer', expires_in: 3600 };
      if (used.startsWith('rt-same-')) answer.refresh_token = used;
      else if (!used.startsWith('rt-none-')) answer.refresh_token = `rt-rotated-${issued}-yyyyyyyyyyyy`;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(answer));
    });
  });
  origin = await listenOnLoopback(server);
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const provider = demoProvider({ grant: { refresh: { supported: true, rotates: false } } });

async function refreshWith(refreshToken: string) {
  const vault = new SessionVault(new MemoryVaultStore(), { '1': 'z'.repeat(32) });
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
