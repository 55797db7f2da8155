import 'server-only';
/** Seeded randomness for the synthetic data: the same seed text always yields the same values. */

import { between, fnv1a, mulberry32, type Random } from '../shared/hash';

/** mulberry32 seeded from `seedText`. */
export function createRandom(seedText: string): Random {
  return mulberry32(fnv1a(seedText));
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
