import 'server-only';
import { createMemoryState, type SandboxState } from './state';
/** Outcome of counting one request against a limit. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds to send in `Retry-After` when refused (RFC 9110 §10.2.3). */
  retryAfterSeconds: number;
}

/** A per-key fixed-window counter. */
export interface RateLimiter {
  hit(key: string, nowMs: number): Promise<RateLimitDecision>;
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

/**
 * Allows `max` hits per key in each window of `windowSeconds` that starts at the key's first hit. The windows live in
 * `state`, so instances sharing Redis count together (one ACO's tokens are one budget, whichever instance mints them).
 */
export function createFixedWindowLimiter(options: FixedWindowOptions, state: SandboxState = createMemoryState()): RateLimiter {
  const windowMs = options.windowSeconds * 1000;
  return {
    async hit(key, nowMs) {
      const window = await state.hitWindow(`rate:${key}`, nowMs, windowMs);
      const remainingMs = window.startMs + windowMs - nowMs;
      const retryAfterSeconds =
        options.retryAfter === 'window' ? options.windowSeconds : Math.max(1, Math.ceil(remainingMs / 1000));
      return { allowed: window.count <= options.max, retryAfterSeconds };
    },
  };
}
