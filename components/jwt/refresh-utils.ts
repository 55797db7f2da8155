import type { TokenDto } from '@/lib/contract/schemas';

type RefreshEntry = NonNullable<TokenDto['refresh']>['history'][number];

export interface RefreshRow {
  at: number;
  /** `hmac:3f9a1c0d…` of the refresh token sent. */
  used: string;
  /** The new refresh token's, or null when the provider kept the old one. */
  replacement: string | null;
  outcome: 'rotated' | 'kept';
  /** `used hmac:abc… → new hmac:def…`, or `used hmac:abc… · kept`. */
  summary: string;
}

/** `hmac:3f9a1c0d…`: a fingerprint prefix as the rest of the page shows one. */
export function formatFingerprintPrefix(prefix: string): string {
  return `hmac:${prefix}…`;
}

/** One refresh of the history: which refresh token went out and whether a new one came back (rotation). */
export function describeRefreshEntry(entry: RefreshEntry): RefreshRow {
  const used = formatFingerprintPrefix(entry.usedFingerprint);
  if (entry.newFingerprint === null) {
    return { at: entry.at, used, replacement: null, outcome: 'kept', summary: `used ${used} · kept` };
  }
  const replacement = formatFingerprintPrefix(entry.newFingerprint);
  return { at: entry.at, used, replacement, outcome: 'rotated', summary: `used ${used} → new ${replacement}` };
}

/** The history in order, oldest first, as rows. */
export function describeRefreshHistory(history: readonly RefreshEntry[]): RefreshRow[] {
  return [...history].sort((a, b) => a.at - b.at).map(describeRefreshEntry);
}
