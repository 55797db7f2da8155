import Redis from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createRedisState, type RedisStateOptions } from '@/lib/sandbox/shared/state';
import { startRedisServer, type RedisServer } from './redis-server';

/**
 * A real redis-server for one test file, and sandbox state stores on it, as console instances sharing `REDIS_URL` and
 * the session secret have (issue #20). Call at the top of the file: it starts the server before the tests and closes
 * every connection and the server after them.
 */
export function withSharedRedis(secret: string) {
  let redis: RedisServer | undefined;
  const opened: Array<{ quit(): void }> = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 20_000);
  afterAll(async () => {
    for (const state of opened) state.quit();
    await redis?.stop();
  });
  const server = (): RedisServer => {
    if (!redis) throw new Error('withSharedRedis: the server starts in beforeAll; use it inside a test.');
    return redis;
  };
  return {
    server,
    /** A new connection to the shared store, as a (re)started instance makes; `secret` to play another console's. */
    state(keyPrefix: string, { secret: ownSecret = secret, ...options }: Omit<RedisStateOptions, 'keyPrefix'> & { secret?: string } = {}) {
      const state = createRedisState(server().url, ownSecret, { keyPrefix, ...options });
      opened.push(state);
      return state;
    },
    /** Every key under `keyPrefix` and its value (strings, set members, hashes) as one text, to look for secrets in. */
    async dump(keyPrefix: string): Promise<string> {
      const raw = new Redis(server().url);
      try {
        const keys = await raw.keys(`${keyPrefix}*`);
        const values = await Promise.all(
          keys.map(async (key) => {
            const type = await raw.type(key);
            if (type === 'set') return (await raw.smembers(key)).join('\n');
            if (type === 'hash') return JSON.stringify(await raw.hgetall(key));
            return (await raw.get(key)) ?? '';
          }),
        );
        return [...keys, ...values].join('\n');
      } finally {
        raw.disconnect();
      }
    },
  };
}
