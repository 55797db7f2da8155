import { describe, expect, it } from 'vitest';
import { epochToMs, formatRelativeTime } from './relative-time';

const now = 1_800_000_000_000;

describe('formatRelativeTime', () => {
  it('formats future and past minutes', () => {
    expect(formatRelativeTime(now + 19 * 60_000, now)).toBe('in 19 min');
    expect(formatRelativeTime(now - 2 * 60_000, now)).toBe('2 min ago');
  });
  it('formats seconds, hours and days', () => {
    expect(formatRelativeTime(now + 30_000, now)).toBe('in 30 s');
    expect(formatRelativeTime(now - 5 * 3600_000, now)).toBe('5 h ago');
    expect(formatRelativeTime(now + 3 * 86_400_000, now)).toBe('in 3 days');
  });
  it('says just now around zero', () => {
    expect(formatRelativeTime(now + 2000, now)).toBe('just now');
  });
});

describe('epochToMs', () => {
  it('scales NumericDate seconds and keeps milliseconds', () => {
    expect(epochToMs(1_800_000_000)).toBe(1_800_000_000_000);
    expect(epochToMs(1_800_000_000_000)).toBe(1_800_000_000_000);
  });
});
