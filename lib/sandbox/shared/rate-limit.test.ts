import { describe, expect, it } from 'vitest';
import { createFixedWindowLimiter } from './rate-limit';
import { createMemoryState } from './state';

describe('createFixedWindowLimiter', () => {
  it('counts per key and says how long is left of the window, rounded up', async () => {
    const limiter = createFixedWindowLimiter({ max: 1, windowSeconds: 60 });
    expect(await limiter.hit('a', 0)).toEqual({ allowed: true, retryAfterSeconds: 60 });
    expect(await limiter.hit('a', 10_500)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect((await limiter.hit('b', 10_500)).allowed).toBe(true);
    expect(await limiter.hit('a', 59_999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await limiter.hit('a', 60_000)).allowed).toBe(true);
  });

  it('answers with the whole window when asked to, as SSAS does', async () => {
    const limiter = createFixedWindowLimiter({ max: 1, windowSeconds: 300, retryAfter: 'window' });
    expect(await limiter.hit('a', 0)).toEqual({ allowed: true, retryAfterSeconds: 300 });
    expect(await limiter.hit('a', 299_000)).toEqual({ allowed: false, retryAfterSeconds: 300 });
    expect((await limiter.hit('a', 300_000)).allowed).toBe(true);
  });
});

describe('createFixedWindowLimiter on a shared store', () => {
  it('counts hits from every limiter that shares the store as one budget', async () => {
    const state = createMemoryState();
    const first = createFixedWindowLimiter({ max: 2, windowSeconds: 60 }, state);
    const second = createFixedWindowLimiter({ max: 2, windowSeconds: 60 }, state);
    expect((await first.hit('aco', 0)).allowed).toBe(true);
    expect((await second.hit('aco', 1_000)).allowed).toBe(true);
    expect(await first.hit('aco', 2_000)).toEqual({ allowed: false, retryAfterSeconds: 58 });
  });
});
