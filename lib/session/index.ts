import 'server-only';
import { resolveSessionPasswords } from './secret';
import { MemoryVaultStore } from './stores/memory';
import { SessionVault } from './vault';

const VAULT = Symbol.for('console.session.vault');
type GlobalWithVault = typeof globalThis & { [VAULT]?: SessionVault };

/**
 * The process-wide vault. Kept on globalThis because Next may evaluate a module once per route bundle, and
 * every route must see the same in-memory store.
 */
export function getVault(): SessionVault {
  const g = globalThis as GlobalWithVault;
  if (!g[VAULT]) {
    const store = new MemoryVaultStore();
    const sweep = setInterval(() => store.sweep(), 60_000);
    sweep.unref();
    g[VAULT] = new SessionVault(store, resolveSessionPasswords());
  }
  return g[VAULT];
}
