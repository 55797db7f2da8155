/** Outcome of counting one request against a limit. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds to send in `Retry-After` when refused. */
  retryAfterSeconds: number;
}

/** A per-key fixed-window counter, the way SSAS limits `/auth/token` per ACO. */
export interface RateLimiter {
  hit(key: string, nowMs: number): RateLimitDecision;
}

/**
 * Allows `max` hits per key in each window of `windowSeconds` that starts at the key's first hit. SSAS answers
 * with the full window length in `Retry-After`, whatever is left of it.
 */
export function createFixedWindowLimiter(options: { max: number; windowSeconds: number }): RateLimiter {
  const windows = new Map<string, { startMs: number; count: number }>();
  const windowMs = options.windowSeconds * 1000;
  return {
    hit(key, nowMs) {
      let window = windows.get(key);
      if (!window || nowMs - window.startMs >= windowMs) {
        window = { startMs: nowMs, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      return { allowed: window.count <= options.max, retryAfterSeconds: options.windowSeconds };
    },
  };
}
