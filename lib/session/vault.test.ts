import { describe, expect, it } from 'vitest';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { MemoryVaultStore } from './stores/memory';
import { SessionVault, type StoredToken } from './vault';

const passwords = { '1': 'x'.repeat(32) };
const token = (over: Partial<StoredToken> = {}): StoredToken => ({
  grantType: 'client_credentials',
  refreshHistory: [],
  reuses: [],
  responseFacts: {},
  providerId: 'bcda',
  environmentId: 'builtin',
  credential: { kind: 'preset', presetId: 'extra-small', clientId: 'cid', label: 'XS' },
  accessToken: 'the-access-token-value',
  tokenType: 'bearer',
  expiresInRaw: '1200',
  issuedAt: 0,
  expiresAt: 1_200_000,
  deviations: [],
  verification: { status: 'verified', reason: 'ok' },
  ...over,
});
const exchange = (id: string): ExchangeDto => ({
  id,
  startedAt: 0,
  kind: 'token',
  providerId: 'bcda',
  environmentId: 'builtin',
  method: 'POST',
  url: 'http://x/auth/token',
  status: 200,
  durationMs: 1,
  request: { headers: [], body: '' },
  response: null,
});

function setup() {
  let now = 0;
  const store = new MemoryVaultStore(() => now);
  const vault = new SessionVault(store, passwords, () => now);
  return { store, vault, advance: (ms: number) => (now += ms) };
}

describe('SessionVault', () => {
  it('round-trips a token and keeps it encrypted at rest', async () => {
    const { store, vault } = setup();
    await vault.putToken('sid-1', token());
    expect(await vault.getToken('sid-1', 'bcda')).toEqual(token());
    const raw = await store.get('vault:sid-1:token:bcda');
    expect(raw).toMatch(/^v1\.1\./);
    expect(raw).not.toContain('the-access-token-value');
  });

  it('keeps sessions apart', async () => {
    const { vault } = setup();
    await vault.putToken('sid-1', token());
    expect(await vault.getToken('sid-2', 'bcda')).toBeNull();
  });

  it('lets a token entry expire with the token (plus a short grace to show it as expired)', async () => {
    const { vault, advance } = setup();
    await vault.putToken('sid-1', token());
    advance(1_200_000 + 9 * 60_000);
    expect(await vault.getToken('sid-1', 'bcda')).not.toBeNull();
    advance(2 * 60_000);
    expect(await vault.getToken('sid-1', 'bcda')).toBeNull();
  });

  it('refuses an entry sealed with another password', async () => {
    const { store, vault } = setup();
    await new SessionVault(store, { '1': 'y'.repeat(32) }).putToken('sid-1', token());
    expect(await vault.getToken('sid-1', 'bcda')).toBeNull();
  });

  it('keeps the newest exchanges in order and forgets everything on clear', async () => {
    const { vault } = setup();
    for (let i = 0; i < 205; i++) await vault.recordExchange('sid-1', exchange(`e${i}`));
    const list = await vault.listExchanges('sid-1');
    expect(list).toHaveLength(200);
    expect(list[0]?.id).toBe('e5');
    expect(list.at(-1)?.id).toBe('e204');
    await vault.putToken('sid-1', token());
    await vault.clear('sid-1', ['bcda']);
    expect(await vault.listExchanges('sid-1')).toEqual([]);
    expect(await vault.getToken('sid-1', 'bcda')).toBeNull();
  });
});

describe('SessionVault simulations', () => {
  it('round-trips the failures per session and provider, sealed, in one order', async () => {
    const { store, vault } = setup();
    expect(await vault.getSimulations('sid-1', 'bcda')).toEqual([]);
    expect(await vault.setSimulations('sid-1', 'bcda', ['expired_token', 'invalid_client', 'expired_token'])).toEqual(['invalid_client', 'expired_token']);
    expect(await vault.getSimulations('sid-1', 'bcda')).toEqual(['invalid_client', 'expired_token']);
    expect(await store.get('vault:sid-1:simulations:bcda')).toMatch(/^v1\./);
    expect(await vault.getSimulations('sid-2', 'bcda')).toEqual([]);
    expect(await vault.getSimulations('sid-1', 'candid')).toEqual([]);
    expect(await vault.listSimulations('sid-1', ['bcda', 'candid'])).toEqual([{ providerId: 'bcda', failures: ['invalid_client', 'expired_token'] }]);
  });

  it('switches all off with an empty list, lives as long as the session and goes on clear', async () => {
    const { store, vault, advance } = setup();
    await vault.setSimulations('sid-1', 'bcda', ['slow_token']);
    await vault.setSimulations('sid-1', 'bcda', []);
    expect(await store.get('vault:sid-1:simulations:bcda')).toBeNull();

    await vault.setSimulations('sid-1', 'bcda', ['slow_token']);
    advance(11 * 60 * 60 * 1000);
    expect(await vault.getSimulations('sid-1', 'bcda')).toEqual(['slow_token']);
    advance(2 * 60 * 60 * 1000);
    expect(await vault.getSimulations('sid-1', 'bcda')).toEqual([]);

    await vault.setSimulations('sid-1', 'bcda', ['server_error']);
    await vault.clear('sid-1', ['bcda']);
    expect(await vault.getSimulations('sid-1', 'bcda')).toEqual([]);
  });
});

describe('MemoryVaultStore.sweep', () => {
  it('drops expired entries', async () => {
    let now = 0;
    const store = new MemoryVaultStore(() => now);
    await store.set('a', 'v', 1);
    await store.append('l', 'v', { maxLength: 5, ttlSeconds: 10 });
    now = 2_000;
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(1);
  });
});
