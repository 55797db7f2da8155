import 'server-only';
import { fnv1a, mulberry32 } from '../shared/hash';

/** A seeded generator of integers: mulberry32, tiny and good enough for synthetic data. */
export interface SeededRandom {
  /** An integer in [0, max). */
  int(max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly [T, ...T[]]): T;
}

/** A {@link SeededRandom} seeded from `seedText`: the same text always yields the same sequence. */
export function seededRandom(seedText: string): SeededRandom {
  const next = mulberry32(fnv1a(seedText));
  const int = (max: number) => Math.floor(next() * max);
  return { int, pick: (items) => items[int(items.length)] ?? items[0] };
}
