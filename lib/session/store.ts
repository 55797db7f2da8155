/**
 * Where sealed vault entries live. The memory store is the default; a Redis store implements the same
 * interface for several console instances. Values are opaque sealed strings: a store never sees plaintext.
 */
export interface VaultStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  /** Appends to a list, keeping its newest `maxLength` items, and (re)sets the list's TTL. */
  append(key: string, value: string, options: { maxLength: number; ttlSeconds: number }): Promise<void>;
  /** The list's items, oldest first; empty when absent or expired. */
  list(key: string): Promise<string[]>;
}
