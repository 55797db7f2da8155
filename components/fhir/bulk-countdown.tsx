'use client';

import { useServerNow } from '@/components/jwt/use-server-now';

/** Whole seconds until `until` (browser clock), ticking on its own so its parent does not re-render each second. */
export function Countdown({ until }: { until: number }) {
  const now = useServerNow(0);
  if (now === 0) return <span className="font-mono tabular-nums">…</span>;
  const seconds = Math.max(0, Math.ceil((until - now) / 1000));
  return <span className="font-mono tabular-nums">{seconds} s</span>;
}
