import type { TokenDto } from '@/lib/contract/schemas';

/** `hmac:3f9a1c0d… · 612 chars`: enough to tell two tokens apart without showing either. */
export function formatFingerprint(fingerprint: TokenDto['fingerprint']): string {
  return `hmac:${fingerprint.hmacPrefix}… · ${fingerprint.length} chars`;
}

/** `expires_in` as the provider typed it: `"1200" (string)` tells the reader more than `1200`. */
export function describeRawValue(raw: unknown): { text: string; type: string } {
  if (raw === undefined) return { text: '(absent)', type: 'undefined' };
  const type = raw === null ? 'null' : Array.isArray(raw) ? 'array' : typeof raw;
  return { text: JSON.stringify(raw) ?? String(raw), type };
}
