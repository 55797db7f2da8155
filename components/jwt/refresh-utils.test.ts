import { describe, expect, it } from 'vitest';
import { describeRefreshEntry, describeRefreshHistory, formatFingerprintPrefix } from './refresh-utils';

describe('refresh history', () => {
  it('describes a rotation', () => {
    expect(describeRefreshEntry({ at: 5, usedFingerprint: 'abc12345', newFingerprint: 'def67890' })).toEqual({
      at: 5,
      used: 'hmac:abc12345…',
      replacement: 'hmac:def67890…',
      outcome: 'rotated',
      summary: 'used hmac:abc12345… → new hmac:def67890…',
    });
  });
  it('describes a refresh that kept the refresh token', () => {
    const row = describeRefreshEntry({ at: 5, usedFingerprint: 'abc12345', newFingerprint: null });
    expect(row.outcome).toBe('kept');
    expect(row.replacement).toBeNull();
    expect(row.summary).toBe('used hmac:abc12345… · kept');
  });
  it('lists oldest first', () => {
    const rows = describeRefreshHistory([
      { at: 20, usedFingerprint: 'bbbb', newFingerprint: 'cccc' },
      { at: 10, usedFingerprint: 'aaaa', newFingerprint: 'bbbb' },
    ]);
    expect(rows.map((row) => row.used)).toEqual(['hmac:aaaa…', 'hmac:bbbb…']);
  });
  it('formats a fingerprint prefix', () => {
    expect(formatFingerprintPrefix('3f9a')).toBe('hmac:3f9a…');
  });
});
