/** Seeded randomness for the synthetic data: the same seed text always yields the same values. */

export type Random = () => number;

/** 32-bit FNV-1a of a string. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: tiny, fast, and good enough for synthetic data. */
export function createRandom(seedText: string): Random {
  let state = fnv1a(seedText);
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

/** One item of a non-empty list. */
export function pick<T>(random: Random, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A number of `digits` decimal digits with no leading zero, as a string. */
export function digitString(random: Random, digits: number): string {
  let out = String(between(random, 1, 9));
  while (out.length < digits) out += String(between(random, 0, 9));
  return out;
}

/** Dollars with cents, never negative. */
export function money(random: Random, min: number, max: number): number {
  return Math.round((min + random() * (max - min)) * 100) / 100;
}

/** A shuffled copy (Fisher–Yates), so picks without repetition stay deterministic. */
export function shuffled<T>(random: Random, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
