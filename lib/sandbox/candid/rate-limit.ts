/** Outcome of counting one request against a limit. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until the window resets, for `Retry-After` when refused (RFC 9110 §10.2.3). */
  retryAfterSeconds: number;
}

/** A per-key fixed-window counter. */
export interface RateLimiter {
  hit(key: string, nowMs: number): RateLimitDecision;
}

/**
 * Allows `max` hits per key in each window of `windowSeconds` that starts at the key's first hit. Candid's real
 * threshold and window are unpublished; `Retry-After` says how long is left of the window, rounded up.
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
      const remainingMs = window.startMs + windowMs - nowMs;
      return { allowed: window.count <= options.max, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
    },
  };
}
