import { describe, expect, it } from 'vitest';
import { makeExchange, makeSession } from '@/lib/client/timeline/test-fixtures';
import { liveInterval } from './hooks';

describe('liveInterval', () => {
  const now = Date.UTC(2026, 7, 23, 14, 5, 0);
  const session = (ageMs: number | null) => ({
    ...makeSession({ serverNow: now, exchanges: ageMs === null ? [] : [makeExchange({ startedAt: now - 600_000 }), makeExchange({ id: 'ex-2', startedAt: now - ageMs })] }),
    clockOffsetMs: 0,
  });

  it('asks every 2 s while the newest exchange is under a minute old, every 15 s once quiet or before anything', () => {
    expect(liveInterval(session(1_000))).toBe(2_000);
    expect(liveInterval(session(59_000))).toBe(2_000);
    expect(liveInterval(session(61_000))).toBe(15_000);
    expect(liveInterval(session(null))).toBe(15_000);
    expect(liveInterval(undefined)).toBe(15_000);
  });
});
