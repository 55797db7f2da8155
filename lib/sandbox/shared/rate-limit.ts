import 'server-only';
/** Outcome of counting one request against a limit. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds to send in `Retry-After` when refused (RFC 9110 §10.2.3). */
  retryAfterSeconds: number;
}

/** A per-key fixed-window counter. */
export interface RateLimiter {
  hit(key: string, nowMs: number): RateLimitDecision;
}

/** Settings of {@link createFixedWindowLimiter}. */
export interface FixedWindowOptions {
  max: number;
  windowSeconds: number;
  /**
   * What `Retry-After` says: `remaining` (the default) is how long is left of the window, rounded up; `window` is
   * the full window length whatever is left of it, as BCDA's SSAS answers.
   */
  retryAfter?: 'remaining' | 'window';
}

/** Allows `max` hits per key in each window of `windowSeconds` that starts at the key's first hit. */
export function createFixedWindowLimiter(options: FixedWindowOptions): RateLimiter {
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
      const retryAfterSeconds =
        options.retryAfter === 'window' ? options.windowSeconds : Math.max(1, Math.ceil(remainingMs / 1000));
      return { allowed: window.count <= options.max, retryAfterSeconds };
    },
  };
}
