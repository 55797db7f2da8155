import 'server-only';
import { randomUUID } from 'node:crypto';
import Redis, { type RedisOptions } from 'ioredis';
import { VaultUnavailableError, type VaultStore } from '../store';

/** Deletes the lock only while it still holds this holder's token: a lapsed lock retaken by another stays theirs. */
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const TAKE = `local v = redis.call('get', KEYS[1]) if v then redis.call('del', KEYS[1]) end return v`;

export interface RedisVaultStoreOptions {
  /** Prepended to every key, so several consoles (or tests) can share one Redis. */
  keyPrefix?: string;
  /** How long one command may wait for Redis before the request fails with a clear 503. */
  commandTimeoutMs?: number;
}

/**
 * The vault on Redis, for several console instances behind a load balancer. Values arrive sealed (the store
 * never sees plaintext) and expire with the entry's TTL. While Redis is unreachable every call fails fast with
 * `VaultUnavailableError`; ioredis keeps reconnecting in the background, so service resumes by itself.
 */
export class RedisVaultStore implements VaultStore {
  private readonly redis: Redis;

  constructor(url: string, options: RedisVaultStoreOptions = {}) {
    const redisOptions: RedisOptions = {
      keyPrefix: options.keyPrefix ?? 'hoc:',
      // A command waits for at most one reconnect attempt (and `commandTimeout`), not until Redis returns.
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      lazyConnect: false,
    };
    this.redis = new Redis(url, redisOptions);
    // Without a listener ioredis prints every reconnect error; the failing requests already say what happened.
    this.redis.on('error', () => undefined);
  }

  async get(key: string): Promise<string | null> {
    return this.run(() => this.redis.get(key));
  }

  async take(key: string): Promise<string | null> {
    return this.run(async () => (await this.redis.eval(TAKE, 1, key)) as string | null);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.run(() => this.redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds))));
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.run(() => this.redis.del(...keys));
  }

  async append(key: string, value: string, options: { maxLength: number; ttlSeconds: number }): Promise<void> {
    await this.run(async () => {
      const results = await this.redis
        .multi()
        .rpush(key, value)
        .ltrim(key, -options.maxLength, -1)
        .expire(key, Math.max(1, Math.ceil(options.ttlSeconds)))
        .exec();
      const failed = results?.find(([error]) => error !== null);
      if (!results || failed) throw failed?.[0] ?? new Error('transaction discarded');
    });
  }

  async list(key: string): Promise<string[]> {
    return this.run(() => this.redis.lrange(key, 0, -1));
  }

  async acquireLock(name: string, ttlMs: number): Promise<{ release: () => Promise<void> } | null> {
    const holder = randomUUID();
    const taken = await this.run(() => this.redis.set(name, holder, 'PX', ttlMs, 'NX'));
    if (taken !== 'OK') return null;
    return {
      release: async () => {
        await this.run(() => this.redis.eval(RELEASE_LOCK, 1, name, holder));
      },
    };
  }

  /** Closes the connection (tests, shutdown). */
  async quit(): Promise<void> {
    this.redis.disconnect();
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new VaultUnavailableError('The session store (Redis) is not answering, so sessions cannot be read or saved.', {
        cause: error,
      });
    }
  }
}
