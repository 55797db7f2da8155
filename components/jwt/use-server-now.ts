'use client';

import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let interval: ReturnType<typeof setInterval> | undefined;

function tick() {
  for (const listener of listeners) listener();
}

/**
 * One interval for every countdown on the page, so the status bar and the token panel turn the second together
 * instead of each on its own timer.
 */
function subscribe(onTick: () => void): () => void {
  listeners.add(onTick);
  if (listeners.size === 1) {
    interval = setInterval(tick, 1000);
    // After a tab sleeps, intervals are throttled: recompute as soon as the page is visible again.
    document.addEventListener('visibilitychange', tick);
  }
  return () => {
    listeners.delete(onTick);
    if (listeners.size === 0) {
      clearInterval(interval);
      document.removeEventListener('visibilitychange', tick);
    }
  };
}

/** Whole seconds, so consecutive reads within a tick agree (useSyncExternalStore requires a stable snapshot). */
function getSnapshot(): number {
  return Math.floor(Date.now() / 1000) * 1000;
}

function getServerSnapshot(): number {
  return 0;
}

/**
 * The server's "now", ticking each second: the browser clock plus the offset measured when the server last answered.
 * Recomputed from Date.now() on every tick, so it is right after the tab sleeps. 0 during server rendering.
 */
export function useServerNow(clockOffsetMs: number): number {
  const local = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  return local === 0 ? 0 : local + clockOffsetMs;
}
