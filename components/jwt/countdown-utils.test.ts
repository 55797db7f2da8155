import { describe, expect, it } from 'vitest';
import { formatCountdown, getCountdown } from './countdown-utils';

describe('formatCountdown', () => {
  it('formats mm:ss', () => {
    expect(formatCountdown(20 * 60_000)).toBe('20:00');
    expect(formatCountdown(65_000)).toBe('01:05');
  });
  it('rounds partial seconds up', () => {
    expect(formatCountdown(500)).toBe('00:01');
    expect(formatCountdown(0)).toBe('00:00');
    expect(formatCountdown(-5000)).toBe('00:00');
  });
  it('adds hours past an hour', () => {
    expect(formatCountdown(5 * 3600_000 + 1000)).toBe('5:00:01');
  });
});

describe('getCountdown', () => {
  const issued = 1_000_000;
  const expires = issued + 20 * 60_000;
  it('is fresh with more than two minutes left', () => {
    const c = getCountdown(expires, issued + 60_000, issued);
    expect(c.state).toBe('fresh');
    expect(c.label).toBe('19:00');
    expect(c.fraction).toBeCloseTo(0.95);
  });
  it('is expiring under two minutes', () => {
    expect(getCountdown(expires, expires - 119_000, issued).state).toBe('expiring');
    expect(getCountdown(expires, expires - 120_000, issued).state).toBe('fresh');
  });
  it('is expired at and after expiry', () => {
    const c = getCountdown(expires, expires, issued);
    expect(c.state).toBe('expired');
    expect(c.label).toBe('00:00');
    expect(c.fraction).toBe(0);
  });
  it('never shows more than the lifetime when the clock estimate trails the server', () => {
    const issued = 1_000_000;
    const countdown = getCountdown(issued + 1_200_000, issued - 700, issued);
    expect(countdown.label).toBe('20:00');
    expect(countdown.fraction).toBe(1);
  });

  it('has a full fraction without an issue time', () => {
    expect(getCountdown(expires, issued).fraction).toBe(1);
  });
});
