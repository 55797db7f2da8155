import 'server-only';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/**
 * Where a built-in sandbox keeps what it must remember between requests: authorization codes, sign-in and consent,
 * registrations, tokens and their families, export jobs, rate-limit windows, replay stores and its signing keys.
 *
 * In memory by default; on Redis when the console runs with `REDIS_URL`, so that any instance behind a load balancer
 * answers any request of a flow and a restart forgets nothing. On Redis every key is an HMAC of the sandbox's own key
 * (a code or token never appears as a Redis key) and every value is sealed with AES-256-GCM, so Redis holds no
 * usable secret.
 *
 * Values are JSON, in memory too: what a handler reads is a copy, and a change is kept only when it is written back,
 * exactly as on Redis. Lifetimes (`ttlMs`) only bound how long an entry is kept; a sandbox still checks a record's
 * own expiry against its (injectable) clock.
 */
export interface SandboxState {
  get<V>(key: string): Promise<V | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Writes only when `key` is absent, in one step across instances; true when written (replay stores, first key). */
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  /** Reads and removes in one step: a single-use code or `request_uri` is redeemed once, whichever instance asks. */
  take<V>(key: string): Promise<V | undefined>;
  delete(...keys: string[]): Promise<void>;
  /** Adds a value to the set at `key` (kept `ttlMs` from this add); sets index families and owners. */
  addToSet(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** The values of the set at `key`, without duplicates; [] when absent. */
  setMembers<V>(key: string): Promise<V[]>;
  /**
   * Counts one hit in the fixed window of `windowMs` that began at this key's first hit (a new window once it has
   * passed), across instances; answers the window's start and its count including this hit.
   */
  hitWindow(key: string, nowMs: number, windowMs: number): Promise<{ startMs: number; count: number }>;
  /** The next number of a sequence (1, 2, …), shared by every instance. */
  nextInSequence(key: string): Promise<number>;
}

/** The sandbox's state store cannot be reached; the mount answers 503 and the request can be retried. */
export class SandboxStateUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxStateUnavailableError';
  }
}

/** A view of a state store whose keys all start with `namespace:` (one per sandbox, then one per table). */
export function scopedState(state: SandboxState, namespace: string): SandboxState {
  const at = (key: string) => `${namespace}:${key}`;
  return {
    get: (key) => state.get(at(key)),
    set: (key, value, ttlMs) => state.set(at(key), value, ttlMs),
    setIfAbsent: (key, value, ttlMs) => state.setIfAbsent(at(key), value, ttlMs),
    take: (key) => state.take(at(key)),
    delete: (...keys) => state.delete(...keys.map(at)),
    addToSet: (key, value, ttlMs) => state.addToSet(at(key), value, ttlMs),
    setMembers: (key) => state.setMembers(at(key)),
    hitWindow: (key, nowMs, windowMs) => state.hitWindow(at(key), nowMs, windowMs),
    nextInSequence: (key) => state.nextInSequence(at(key)),
  };
}

interface MemoryEntry {
  json: string;
  expiresAtMs: number;
}

/** Entries one table of an in-memory store keeps at most before it drops its oldest (no unbounded growth). */
export const memoryStateCapacity = 50_000;

/**
 * A key's table (its sandbox and table name: the first two `:` segments, or the first of a shorter key) and the rest.
 * On Redis the table stays readable and the rest is hashed; in memory each table has its own capacity.
 */
function splitKey(key: string): { table: string; rest: string } {
  const parts = key.split(':');
  const readable = parts.length > 2 ? 2 : parts.length - 1;
  return { table: parts.slice(0, readable).map((p) => `${p}:`).join(''), rest: parts.slice(readable).join(':') };
}

/**
 * The in-memory store of one process. Expiry is by the real clock (`Date.now`), as Redis's is.
 * @param capacity entries kept at most per table (so a flood of one kind, say DPoP proofs, never pushes out
 *   another, say registrations); the oldest written goes first
 */
export function createMemoryState(capacity = memoryStateCapacity): SandboxState {
  const tables = new Map<string, Map<string, MemoryEntry>>();
  const sets = new Map<string, { members: Set<string>; expiresAtMs: number }>();
  const tableFor = (key: string) => {
    const { table } = splitKey(key);
    let entries = tables.get(table);
    if (!entries) tables.set(table, (entries = new Map()));
    return entries;
  };
  const live = (key: string): MemoryEntry | undefined => {
    const entries = tableFor(key);
    const entry = entries.get(key);
    if (entry && entry.expiresAtMs <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const remove = (key: string) => tableFor(key).delete(key);
  const write = (key: string, value: unknown, ttlMs: number) => {
    const entries = tableFor(key);
    entries.delete(key);
    entries.set(key, { json: JSON.stringify(value), expiresAtMs: Date.now() + ttlMs });
    while (entries.size > capacity) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };
  const read = <V>(entry: MemoryEntry | undefined): V | undefined => (entry ? (JSON.parse(entry.json) as V) : undefined);
  const liveSet = (key: string) => {
    const set = sets.get(key);
    if (set && set.expiresAtMs <= Date.now()) {
      sets.delete(key);
      return undefined;
    }
    return set;
  };
  return {
    get: async (key) => read(live(key)),
    set: async (key, value, ttlMs) => write(key, value, ttlMs),
    setIfAbsent: async (key, value, ttlMs) => {
      if (live(key)) return false;
      write(key, value, ttlMs);
      return true;
    },
    take: async (key) => {
      const entry = live(key);
      remove(key);
      return read(entry);
    },
    delete: async (...keys) => {
      for (const key of keys) {
        remove(key);
        sets.delete(key);
      }
    },
    addToSet: async (key, value, ttlMs) => {
      const set = liveSet(key) ?? { members: new Set<string>(), expiresAtMs: 0 };
      set.members.add(JSON.stringify(value));
      set.expiresAtMs = Date.now() + ttlMs;
      sets.set(key, set);
      if (sets.size > capacity) sets.delete(sets.keys().next().value as string);
    },
    setMembers: async (key) => [...(liveSet(key)?.members ?? [])].map((json) => JSON.parse(json)),
    hitWindow: async (key, nowMs, windowMs) => {
      const window = read<{ startMs: number; count: number }>(live(key));
      const next = window && nowMs - window.startMs < windowMs ? { startMs: window.startMs, count: window.count + 1 } : { startMs: nowMs, count: 1 };
      write(key, next, windowMs);
      return next;
    },
    nextInSequence: async (key) => {
      const next = (read<number>(live(key)) ?? 0) + 1;
      write(key, next, Number.MAX_SAFE_INTEGER / 2);
      return next;
    },
  };
}

// The window's start and count live in one hash, so that two instances counting at once see one window.
const HIT_WINDOW = `
local start = tonumber(redis.call('hget', KEYS[1], 's'))
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
if (not start) or (now - start >= window) then
  redis.call('del', KEYS[1])
  redis.call('hset', KEYS[1], 's', ARGV[1], 'c', 1)
  redis.call('pexpire', KEYS[1], window)
  return {ARGV[1], 1}
end
local count = redis.call('hincrby', KEYS[1], 'c', 1)
return {tostring(start), count}`;
const TAKE = `local v = redis.call('get', KEYS[1]) if v then redis.call('del', KEYS[1]) end return v`;

export interface RedisStateOptions {
  /** Prepended to every key, so several consoles (or tests) can share one Redis. */
  keyPrefix?: string;
  /** How long one command may wait before the request fails with a clear 503. */
  commandTimeoutMs?: number;
}

/**
 * The store on Redis, shared by every console instance that has the same `REDIS_URL` and `secret` (the console's
 * SESSION_SECRET). Keys are `<prefix><sandbox>:<table>:<HMAC of the rest>`; values `<iv>.<tag>.<ciphertext>` (base64url),
 * AES-256-GCM with the Redis key as associated data, so a sealed value moved to another key does not open.
 */
export function createRedisState(url: string, secret: string, options: RedisStateOptions = {}): SandboxState & { quit(): void } {
  const redis = new Redis(url, {
    keyPrefix: options.keyPrefix ?? 'hoc:sandbox:',
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Without a listener ioredis prints every reconnect error; the failing requests already say what happened.
  redis.on('error', () => undefined);
  const sealKey = Buffer.from(hkdfSync('sha256', secret, 'health-oauth-console sandbox', 'sandbox state v1', 32));
  const nameKey = Buffer.from(hkdfSync('sha256', secret, 'health-oauth-console sandbox', 'sandbox key names v1', 32));

  // The table stays readable; the rest (a code, a token, a client id, which may itself hold a `:`) is hashed.
  const redisKey = (key: string): string => {
    const { table, rest } = splitKey(key);
    return `${table}${createHmac('sha256', nameKey).update(rest).digest('base64url')}`;
  };
  const seal = (key: string, value: unknown): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
    cipher.setAAD(Buffer.from(key));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  };
  const open = <V>(key: string, sealed: string | null): V | undefined => {
    if (sealed === null) return undefined;
    const [iv, tag, body] = sealed.split('.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', sealKey, Buffer.from(iv ?? '', 'base64url'));
      decipher.setAAD(Buffer.from(key));
      decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
      const json = Buffer.concat([decipher.update(Buffer.from(body ?? '', 'base64url')), decipher.final()]).toString('utf8');
      return JSON.parse(json) as V;
    } catch {
      // Sealed under another secret (SESSION_SECRET changed) or damaged: as good as absent.
      return undefined;
    }
  };
  const run = async <T>(command: () => Promise<T>): Promise<T> => {
    try {
      return await command();
    } catch (error) {
      throw new SandboxStateUnavailableError('The built-in sandboxes keep their state in Redis, and Redis is not answering.', { cause: error });
    }
  };
  const ms = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs));

  return {
    get: async (key) => {
      const at = redisKey(key);
      return open(at, await run(() => redis.get(at)));
    },
    set: async (key, value, ttlMs) => {
      const at = redisKey(key);
      await run(() => redis.set(at, seal(at, value), 'PX', ms(ttlMs)));
    },
    setIfAbsent: async (key, value, ttlMs) => {
      const at = redisKey(key);
      return (await run(() => redis.set(at, seal(at, value), 'PX', ms(ttlMs), 'NX'))) === 'OK';
    },
    take: async (key) => {
      const at = redisKey(key);
      return open(at, (await run(() => redis.eval(TAKE, 1, at))) as string | null);
    },
    delete: async (...keys) => {
      if (keys.length > 0) await run(() => redis.del(...keys.map(redisKey)));
    },
    addToSet: async (key, value, ttlMs) => {
      const at = redisKey(key);
      await run(() => redis.multi().sadd(at, seal(at, value)).pexpire(at, ms(ttlMs)).exec());
    },
    setMembers: async (key) => {
      const at = redisKey(key);
      const members = await run(() => redis.smembers(at));
      const unique = new Map<string, unknown>();
      for (const sealed of members) {
        const value = open(at, sealed);
        if (value !== undefined) unique.set(JSON.stringify(value), value);
      }
      return [...unique.values()] as never[];
    },
    hitWindow: async (key, nowMs, windowMs) => {
      const at = redisKey(key);
      const [start, count] = (await run(() => redis.eval(HIT_WINDOW, 1, at, String(nowMs), String(ms(windowMs))))) as [string, number];
      return { startMs: Number(start), count: Number(count) };
    },
    nextInSequence: async (key) => run(() => redis.incr(redisKey(key))),
    quit: () => redis.disconnect(),
  };
}

/** What the console tells its sandboxes about where to keep state (see `ConsoleHost.stateSettings`). */
export interface SandboxStateSettings {
  /** Redis to share state through, or undefined to keep it in this process. */
  redisUrl: string | undefined;
  /** The console's session secret (its newest password): instances sharing Redis must share it. */
  secret: string;
}

const STATE = Symbol.for('console.sandbox.state');

/**
 * The process-wide store for the built-in sandboxes, made once from the console's settings. On globalThis because Next
 * may evaluate a module once per route bundle, and every route must see the same store.
 */
export function processSandboxState(settings: () => SandboxStateSettings): SandboxState {
  const holder = globalThis as typeof globalThis & { [STATE]?: SandboxState };
  if (!holder[STATE]) {
    const { redisUrl, secret } = settings();
    holder[STATE] = redisUrl ? createRedisState(redisUrl, secret) : createMemoryState();
  }
  return holder[STATE];
}
