import { describe, expect, it } from 'vitest';
import { describeRawValue, formatFingerprint } from './token-utils';

describe('formatFingerprint', () => {
  it('shows prefix and length', () => {
    expect(formatFingerprint({ hmacPrefix: '3f9a1c0d', length: 612 })).toBe('hmac:3f9a1c0d… · 612 chars');
  });
});

describe('describeRawValue', () => {
  it('keeps quotes on strings', () => {
    expect(describeRawValue('1200')).toEqual({ text: '"1200"', type: 'string' });
    expect(describeRawValue(1200)).toEqual({ text: '1200', type: 'number' });
    expect(describeRawValue(undefined)).toEqual({ text: '(absent)', type: 'undefined' });
  });
});
