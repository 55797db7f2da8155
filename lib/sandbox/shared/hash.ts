import 'server-only';
/** Small non-cryptographic hashes and a seeded generator, shared by the sandboxes' deterministic synthetic data. */

/** 32-bit FNV-1a of a string, optionally continuing from `seed`. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: spreads every input bit over the output so neighbouring seeds do not correlate. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Combines a base seed, an index and a salt into one well-mixed 32-bit seed. */
export function combineSeed(base: number, index: number, salt: number): number {
  return mix32(base ^ mix32(Math.imul(index + 1, 0x9e3779b1) ^ salt));
}

/** A UUID-shaped string (version 4 layout) derived from `text`: the same text always gives the same value. */
export function deterministicUuid(text: string): string {
  const words = [fnv1a(text, 0x811c9dc5), fnv1a(text, 0x01234567), fnv1a(text, 0x89abcdef), fnv1a(text, 0xdeadbeef)];
  const hex = words.map((word) => mix32(word).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A random source in [0, 1). */
export type Random = () => number;

/** mulberry32 from a 32-bit seed: tiny, fast, and good enough for synthetic data. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a list the caller knows is non-empty (unchecked). */
export function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}
