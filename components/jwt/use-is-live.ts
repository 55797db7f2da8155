'use client';

import { useCallback, useSyncExternalStore } from 'react';

/** setTimeout's ceiling (2^31 − 1 ms, ~24.8 days); longer delays would fire at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Whether a deadline on the server clock is still ahead. Re-renders only when the answer can change (a timer at the
 * deadline, a coarse interval and tab visibility as backstops), unlike useServerNow's once-a-second tick.
 */
export function useIsLive(deadlineMs: number | null, clockOffsetMs: number): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (deadlineMs === null) return () => undefined;
      const delay = Math.min(MAX_TIMEOUT_MS, Math.max(0, deadlineMs - (Date.now() + clockOffsetMs)) + 50);
      const timeout = setTimeout(onChange, delay);
      const interval = setInterval(onChange, 30_000);
      document.addEventListener('visibilitychange', onChange);
      return () => {
        clearTimeout(timeout);
        clearInterval(interval);
        document.removeEventListener('visibilitychange', onChange);
      };
    },
    [deadlineMs, clockOffsetMs],
  );
  return useSyncExternalStore(
    subscribe,
    () => deadlineMs !== null && Date.now() + clockOffsetMs < deadlineMs,
    () => false,
  );
}
