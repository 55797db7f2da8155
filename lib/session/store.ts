import 'server-only';
/**
 * Where sealed vault entries live. The memory store is the default; a Redis store implements the same
 * interface for several console instances. Values are opaque sealed strings: a store never sees plaintext.
 */
export interface VaultStore {
  get(key: string): Promise<string | null>;
  /** Returns and deletes a value in one step: of two instances taking the same key, only one gets it. */
  take(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  /** Appends to a list, keeping its newest `maxLength` items, and (re)sets the list's TTL. */
  append(key: string, value: string, options: { maxLength: number; ttlSeconds: number }): Promise<void>;
  /** The list's items, oldest first; empty when absent or expired. */
  list(key: string): Promise<string[]>;
  /**
   * Takes an exclusive lock shared by every instance on this store, or null when someone else holds it. The lock
   * lapses after `ttlMs` if its holder dies; `release` frees it only if it is still the holder's.
   */
  acquireLock(name: string, ttlMs: number): Promise<{ release: () => Promise<void> } | null>;
}

/** A store that cannot answer (Redis down): the BFF turns it into a 503 that says so, never a 500. */
export class VaultUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VaultUnavailableError';
  }
}
