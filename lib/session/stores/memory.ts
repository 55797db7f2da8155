import 'server-only';
import type { VaultStore } from '../store';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** In-process store with per-key expiry. Expired entries are dropped on read and by a periodic sweep. */
export class MemoryVaultStore implements VaultStore {
  private readonly values = new Map<string, Entry<string>>();
  private readonly lists = new Map<string, Entry<string[]>>();
  private readonly locks = new Map<string, Entry<symbol>>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | null> {
    return this.live(this.values, key)?.value ?? null;
  }

  async take(key: string): Promise<string | null> {
    const value = this.live(this.values, key)?.value ?? null;
    this.values.delete(key);
    return value;
  }

  async acquireLock(name: string, ttlMs: number): Promise<{ release: () => Promise<void> } | null> {
    if (this.live(this.locks, name)) return null;
    const holder = Symbol(name);
    this.locks.set(name, { value: holder, expiresAt: this.now() + ttlMs });
    return {
      release: async () => {
        if (this.locks.get(name)?.value === holder) this.locks.delete(name);
      },
    };
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.values.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.values.delete(key);
      this.lists.delete(key);
    }
  }

  async append(key: string, value: string, options: { maxLength: number; ttlSeconds: number }): Promise<void> {
    const items = this.live(this.lists, key)?.value ?? [];
    items.push(value);
    if (items.length > options.maxLength) items.splice(0, items.length - options.maxLength);
    this.lists.set(key, { value: items, expiresAt: this.now() + options.ttlSeconds * 1000 });
  }

  async list(key: string): Promise<string[]> {
    return [...(this.live(this.lists, key)?.value ?? [])];
  }

  /** Drops every expired entry; returns how many. */
  sweep(): number {
    let dropped = 0;
    for (const map of [this.values, this.lists] as Map<string, Entry<unknown>>[]) {
      for (const [key, entry] of map) {
        if (entry.expiresAt <= this.now()) {
          map.delete(key);
          dropped++;
        }
      }
    }
    return dropped;
  }

  get size(): number {
    return this.values.size + this.lists.size;
  }

  private live<T>(map: Map<string, Entry<T>>, key: string): Entry<T> | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }
}
