import Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { withSharedRedis } from '@/test/shared-redis';
import { createMemoryState, scopedState, SandboxStateUnavailableError, type SandboxState } from './state';
import { sharedSigningKey } from './signing-key';
import { compactVerify, CompactSign, importJWK } from 'jose';

const SECRET = 'a'.repeat(40);
const shared = withSharedRedis(SECRET);

function onRedis(secret = SECRET, keyPrefix = 'test:'): SandboxState {
  return shared.state(keyPrefix, { secret, commandTimeoutMs: 1000 });
}

// The same behaviour from both stores: the memory one is what tests and a single process use, Redis what instances share.
describe.each([
  ['memory', () => createMemoryState()],
  ['redis', () => onRedis(SECRET, `t${Math.random().toString(36).slice(2)}:`)],
])('%s state', (_name, make) => {
  it('keeps JSON values; a read is a copy, so a change is kept only when written back', async () => {
    const state = make();
    await state.set('codes:abc', { used: false, scopes: ['a'] }, 60_000);
    const read = await state.get<{ used: boolean }>('codes:abc');
    expect(read).toEqual({ used: false, scopes: ['a'] });
    read!.used = true;
    expect(await state.get('codes:abc')).toEqual({ used: false, scopes: ['a'] });
    expect(await state.get('codes:other')).toBeUndefined();
  });

  it('takes a value once: the second take finds nothing', async () => {
    const state = make();
    await state.set('codes:once', 'v', 60_000);
    const takes = await Promise.all([state.take('codes:once'), state.take('codes:once')]);
    expect(takes.filter((t) => t === 'v')).toHaveLength(1);
    expect(await state.get('codes:once')).toBeUndefined();
  });

  it('writes only the first of two setIfAbsent', async () => {
    const state = make();
    expect(await state.setIfAbsent('jti:1', 1, 60_000)).toBe(true);
    expect(await state.setIfAbsent('jti:1', 2, 60_000)).toBe(false);
    expect(await state.get('jti:1')).toBe(1);
  });

  it('forgets an entry after its lifetime', async () => {
    const state = make();
    await state.set('short:a', 1, 30);
    await state.addToSet('short-set:a', 1, 30);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await state.get('short:a')).toBeUndefined();
    expect(await state.setMembers('short-set:a')).toEqual([]);
  });

  it('keeps sets without duplicates, and deletes them', async () => {
    const state = make();
    await state.addToSet('family:f', 'tok-1', 60_000);
    await state.addToSet('family:f', 'tok-2', 60_000);
    await state.addToSet('family:f', 'tok-1', 60_000);
    expect((await state.setMembers<string>('family:f')).sort()).toEqual(['tok-1', 'tok-2']);
    await state.delete('family:f');
    expect(await state.setMembers('family:f')).toEqual([]);
  });

  it('counts a fixed window from its first hit, then starts a new one', async () => {
    const state = make();
    expect(await state.hitWindow('rate:x', 1_000, 10_000)).toEqual({ startMs: 1_000, count: 1 });
    expect(await state.hitWindow('rate:x', 5_000, 10_000)).toEqual({ startMs: 1_000, count: 2 });
    expect(await state.hitWindow('rate:x', 11_000, 10_000)).toEqual({ startMs: 11_000, count: 1 });
  });

  it('numbers a sequence', async () => {
    const state = make();
    expect([await state.nextInSequence('job-id'), await state.nextInSequence('job-id')]).toEqual([1, 2]);
  });

  it('scopes keys under a namespace', async () => {
    const state = make();
    await scopedState(state, 'smart').set('codes:k', 'smart', 60_000);
    await scopedState(state, 'bcda').set('codes:k', 'bcda', 60_000);
    expect(await scopedState(state, 'smart').get('codes:k')).toBe('smart');
    expect(await state.get('bcda:codes:k')).toBe('bcda');
  });
});

describe('redis state', () => {
  it('is shared by instances with the same secret, and opens to nothing under another secret', async () => {
    const prefix = 'shared:';
    const a = onRedis(SECRET, prefix);
    const b = onRedis(SECRET, prefix);
    await a.set('codes:c1', { client: 'x' }, 60_000);
    expect(await b.get('codes:c1')).toEqual({ client: 'x' });
    expect(await b.take('codes:c1')).toEqual({ client: 'x' });
    expect(await a.get('codes:c1')).toBeUndefined();

    await a.set('codes:c2', 'v', 60_000);
    expect(await onRedis('b'.repeat(40), prefix).get('codes:c2')).toBeUndefined();
  });

  it('puts neither a key secret nor a value in Redis as plain text', async () => {
    const prefix = 'plain:';
    const state = onRedis(SECRET, prefix);
    const code = 'code-3f6b0c2e9d1a4b7c8e5f';
    await state.set(`codes:${code}`, { refresh_token: 'refresh-secret-value' }, 60_000);
    // A caller-chosen value with `:` in it (a bearer token a client sent) is hashed whole, not cut at its colon.
    await state.set('smart:access:token-head-secret:tail', 1, 60_000);
    await state.addToSet('family:fam-1', 'member-secret-value', 60_000);
    const raw = new Redis(shared.server().url);
    try {
      const keys = await raw.keys(`${prefix}*`);
      expect(keys).toHaveLength(3);
      expect(keys.some((k) => k.startsWith(`${prefix}codes:`))).toBe(true);
      expect(keys.some((k) => k.startsWith(`${prefix}smart:access:`))).toBe(true);
      const dump = [...keys, ...(await Promise.all(keys.map(async (k) => ((await raw.type(k)) === 'set' ? (await raw.smembers(k)).join() : (await raw.get(k)) ?? ''))))].join('\n');
      for (const secret of [code, 'refresh-secret-value', 'member-secret-value', 'fam-1', 'token-head-secret', 'tail']) expect(dump).not.toContain(secret);
    } finally {
      raw.disconnect();
    }
  });

  it('a sealed value moved to another key does not open there', async () => {
    const prefix = 'moved:';
    const state = onRedis(SECRET, prefix);
    await state.set('codes:a', 'secret-a', 60_000);
    await state.set('codes:b', 'secret-b', 60_000);
    const raw = new Redis(shared.server().url);
    try {
      const [first, second] = await raw.keys(`${prefix}codes:*`);
      await raw.set(second!, (await raw.get(first!))!);
      expect([await state.get('codes:a'), await state.get('codes:b')].filter((v) => v !== undefined)).toHaveLength(1);
    } finally {
      raw.disconnect();
    }
  });

  it('fails with SandboxStateUnavailableError while Redis does not answer', async () => {
    const state = onRedis(SECRET, 'paused:');
    await state.set('k', 1, 60_000);
    shared.server().pause();
    try {
      await expect(state.get('k')).rejects.toBeInstanceOf(SandboxStateUnavailableError);
    } finally {
      shared.server().resume();
    }
    expect(await state.get('k')).toBe(1);
  });

  it('gives every instance the same signing key, so a token one signs verifies with the JWKS of the other', async () => {
    const prefix = 'keys:';
    const [keyA, keyB] = await Promise.all([sharedSigningKey(onRedis(SECRET, prefix), 'bcda:signing-key', 'RS512')(), sharedSigningKey(onRedis(SECRET, prefix), 'bcda:signing-key', 'RS512')()]);
    expect(keyA.kid).toBe(keyB.kid);
    const jws = await new CompactSign(new TextEncoder().encode('payload')).setProtectedHeader({ alg: 'RS512', kid: keyA.kid }).sign(keyA.privateKey);
    await expect(compactVerify(jws, await importJWK(keyB.publicJwk, 'RS512'))).resolves.toBeTruthy();
  });
});

describe('a shared signing key while Redis is away', () => {
  it('fails the request, and the next request after Redis is back gets the key', async () => {
    const getKey = sharedSigningKey(onRedis(SECRET, 'keys-paused:'), 'smart:signing-key', 'RS256');
    shared.server().pause();
    try {
      await expect(getKey()).rejects.toBeInstanceOf(SandboxStateUnavailableError);
    } finally {
      shared.server().resume();
    }
    await expect(getKey()).resolves.toMatchObject({ kid: expect.any(String) });
  });
});

describe('memory state capacity', () => {
  it('drops the oldest entry of a full table, and leaves other tables alone', async () => {
    const state = createMemoryState(3);
    await state.set('smart:clients:keep', 'registration', 60_000);
    for (let i = 0; i < 5; i++) await state.set(`smart:dpop-jti:${i}`, i, 60_000);
    expect(await state.get('smart:clients:keep')).toBe('registration');
    expect(await Promise.all([0, 1, 2, 3, 4].map((i) => state.get(`smart:dpop-jti:${i}`)))).toEqual([undefined, undefined, 2, 3, 4]);
  });
});
