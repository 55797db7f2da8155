import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer } from '@/test/redis-server';
import { VaultUnavailableError, type VaultStore } from '../store';
import { SessionVault, storedTokenSchema, type StoredToken } from '../vault';
import { MemoryVaultStore } from './memory';
import { RedisVaultStore } from './redis';

let redis: Awaited<ReturnType<typeof startRedisServer>>;
/** A plain client, to look at what the store wrote. */
let raw: Redis;
const stores: RedisVaultStore[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
  raw = new Redis(redis.url);
  raw.on('error', () => undefined); // Redis is stopped on purpose below.
});
afterAll(async () => {
  raw.disconnect();
  await Promise.all(stores.map((store) => store.quit()));
  await redis.stop();
});

function redisStore(prefix = `test-${randomUUID()}:`): RedisVaultStore {
  const store = new RedisVaultStore(redis.url, { keyPrefix: prefix, commandTimeoutMs: 1000 });
  stores.push(store);
  return store;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same contract for both stores: what the vault relies on. */
describe.each([
  ['memory', () => new MemoryVaultStore()],
  ['redis', () => redisStore()],
] as const)('VaultStore contract: %s', (_name, create: () => VaultStore) => {
  it('sets, gets, deletes and expires values', async () => {
    const store = create();
    await store.set('a', 'sealed-a', 60);
    await store.set('b', 'sealed-b', 1);
    expect(await store.get('a')).toBe('sealed-a');
    await store.delete('a');
    expect(await store.get('a')).toBeNull();
    await sleep(1100);
    expect(await store.get('b')).toBeNull();
  });

  it('takes a value once, even when two callers race for it', async () => {
    const store = create();
    await store.set('state', 'pending-flow', 60);
    const [first, second] = await Promise.all([store.take('state'), store.take('state')]);
    expect([first, second].filter((v) => v !== null)).toEqual(['pending-flow']);
    expect(await store.get('state')).toBeNull();
  });

  it('appends to a list, keeping only the newest items', async () => {
    const store = create();
    for (const item of ['1', '2', '3', '4']) await store.append('list', item, { maxLength: 3, ttlSeconds: 60 });
    expect(await store.list('list')).toEqual(['2', '3', '4']);
    expect(await store.list('absent')).toEqual([]);
  });

  it('grants a lock to one holder at a time; it lapses; a lapsed holder cannot free the next one’s', async () => {
    const store = create();
    const first = await store.acquireLock('refresh', 300);
    expect(first).not.toBeNull();
    expect(await store.acquireLock('refresh', 300)).toBeNull();
    await sleep(400);
    const second = await store.acquireLock('refresh', 5000);
    expect(second).not.toBeNull();
    await first!.release();
    expect(await store.acquireLock('refresh', 5000)).toBeNull();
    await second!.release();
    expect(await store.acquireLock('refresh', 5000)).not.toBeNull();
  });
});

function token(providerId: string, accessToken: string, issuedAt = Date.now()): StoredToken {
  return storedTokenSchema.parse({
    providerId,
    environmentId: 'builtin',
    credential: { kind: 'preset', presetId: 'extra-small', clientId: 'client', label: 'Extra small' },
    accessToken,
    tokenType: 'Bearer',
    expiresInRaw: 1200,
    issuedAt,
    expiresAt: issuedAt + 1_200_000,
    deviations: [],
    verification: { status: 'unverifiable', reason: 'test' },
  });
}

describe('SessionVault on Redis', () => {
  const passwords = { '1': 'r'.repeat(32) };

  it('two console instances (two connections) share a session, and Redis holds only sealed values', async () => {
    const prefix = `shared-${randomUUID()}:`;
    const instanceA = new SessionVault(redisStore(prefix), passwords);
    const instanceB = new SessionVault(redisStore(prefix), passwords);
    const accessToken = `at-${randomUUID()}`;
    const stored = token('bcda', accessToken);
    await instanceA.putToken('sid-1', stored);
    expect((await instanceB.getToken('sid-1', 'bcda'))?.accessToken).toBe(accessToken);
    expect(await instanceB.getToken('sid-2', 'bcda')).toBeNull();

    const keys = await raw.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const value = await raw.get(key);
      expect(value).not.toContain(accessToken);
      expect(value).toMatch(/^v1\./);
    }
  });

  it('sets the entry TTL from the token life (plus the grace that shows it as expired)', async () => {
    const prefix = `ttl-${randomUUID()}:`;
    const vault = new SessionVault(redisStore(prefix), passwords);
    await vault.putToken('sid', { ...token('bcda', 'at'), expiresAt: Date.now() + 60_000 });
    const [key] = await raw.keys(`${prefix}*`);
    const ttl = await raw.ttl(key!);
    expect(ttl).toBeGreaterThan(60 + 600 - 3);
    expect(ttl).toBeLessThanOrEqual(60 + 600);
  });

  it('fails fast with a clear error while Redis is down and recovers by itself when it returns', async () => {
    const store = redisStore();
    const vault = new SessionVault(store, passwords);
    await vault.putToken('sid', token('bcda', 'kept-across-restart'));
    await redis.stop();
    try {
      const started = Date.now();
      const error = await vault.getToken('sid', 'bcda').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VaultUnavailableError);
      expect((error as Error).message).toMatch(/Redis/);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await redis.start();
    }
    let recovered: StoredToken | null | undefined;
    for (let i = 0; i < 50 && recovered === undefined; i++) {
      recovered = await vault.getToken('sid', 'other').then((t) => t, () => undefined);
      if (recovered === undefined) await sleep(100);
    }
    expect(recovered).toBeNull();
    await vault.putToken('sid', token('bcda', 'after-restart'));
    expect((await vault.getToken('sid', 'bcda'))?.accessToken).toBe('after-restart');
  });
});
