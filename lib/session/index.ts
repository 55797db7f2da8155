import 'server-only';
import { resolveSessionPasswords } from './secret';
import { MemoryVaultStore } from './stores/memory';
import { RedisVaultStore } from './stores/redis';
import { SessionVault } from './vault';

const VAULT = Symbol.for('console.session.vault');
type GlobalWithVault = typeof globalThis & { [VAULT]?: SessionVault };

function memoryStore(): MemoryVaultStore {
  const store = new MemoryVaultStore();
  const sweep = setInterval(() => store.sweep(), 60_000);
  sweep.unref();
  return store;
}

/**
 * The process-wide vault: in memory, or on Redis when `REDIS_URL` is set (several instances share sessions). Kept on globalThis because Next may evaluate a module once per route bundle, and
 * every route must see the same in-memory store.
 */
export function getVault(): SessionVault {
  const g = globalThis as GlobalWithVault;
  if (!g[VAULT]) {
    const redisUrl = process.env.REDIS_URL?.trim();
    g[VAULT] = new SessionVault(redisUrl ? new RedisVaultStore(redisUrl) : memoryStore(), resolveSessionPasswords());
  }
  return g[VAULT];
}
