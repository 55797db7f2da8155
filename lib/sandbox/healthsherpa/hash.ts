/** Small non-cryptographic hashes and a seeded generator, for deterministic synthetic data. */

/** 32-bit FNV-1a of a string, optionally continuing from `seed`. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// murmur3's finaliser: spreads every input bit over the output so neighbouring seeds do not correlate.
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A UUID-shaped string (version 4 layout) derived from `text`: the same text always gives the same value. */
export function deterministicUuid(text: string): string {
  const words = [fnv1a(text, 0x811c9dc5), fnv1a(text, 0x01234567), fnv1a(text, 0x89abcdef), fnv1a(text, 0xdeadbeef)];
  const hex = words.map((word) => mix32(word).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A seeded generator of integers: mulberry32, tiny and good enough for synthetic data. */
export interface SeededRandom {
  /** An integer in [0, max). */
  int(max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly [T, ...T[]]): T;
}

export function seededRandom(seedText: string): SeededRandom {
  let state = fnv1a(seedText);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { int, pick: (items) => items[int(items.length)] ?? items[0] };
}
