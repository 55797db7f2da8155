import 'server-only';
import { fnv1a, mix32, mulberry32, type Random } from '../shared/hash';

/** mulberry32 seeded from `text`, the seed mixed once more so similar texts start far apart. */
export function seededRandom(text: string): Random {
  return mulberry32(mix32(fnv1a(text)));
}

/** One element of a non-empty list. */
export function pick<L extends readonly [unknown, ...unknown[]]>(random: Random, list: L): L[number] {
  return list[Math.floor(random() * list.length)] ?? list[0];
}
