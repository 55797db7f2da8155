import { describe, expect, it } from 'vitest';
import { createFixedWindowLimiter } from './rate-limit';

describe('createFixedWindowLimiter', () => {
  it('counts per key and says how long is left of the window, rounded up', () => {
    const limiter = createFixedWindowLimiter({ max: 1, windowSeconds: 60 });
    expect(limiter.hit('a', 0)).toEqual({ allowed: true, retryAfterSeconds: 60 });
    expect(limiter.hit('a', 10_500)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(limiter.hit('b', 10_500).allowed).toBe(true);
    expect(limiter.hit('a', 59_999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.hit('a', 60_000).allowed).toBe(true);
  });

  it('answers with the whole window when asked to, as SSAS does', () => {
    const limiter = createFixedWindowLimiter({ max: 1, windowSeconds: 300, retryAfter: 'window' });
    expect(limiter.hit('a', 0)).toEqual({ allowed: true, retryAfterSeconds: 300 });
    expect(limiter.hit('a', 299_000)).toEqual({ allowed: false, retryAfterSeconds: 300 });
    expect(limiter.hit('a', 300_000).allowed).toBe(true);
  });
});
