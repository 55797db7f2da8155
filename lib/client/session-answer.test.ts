import { describe, expect, it } from 'vitest';
import { makeExchange } from '@/lib/client/timeline/test-fixtures';
import { TIMELINE_MAX_EXCHANGES, type SessionDto } from '@/lib/contract/schemas';
import { mergeSessionAnswer, newestExchangeId } from './session-answer';

const session = (ids: string[], extra: Partial<SessionDto> = {}): SessionDto => ({
  serverNow: 1,
  sessionTag: 't',
  tokens: [],
  exchanges: ids.map((id) => makeExchange({ id })),
  flowErrors: [],
  endedTokens: [],
  simulations: [],
  ...extra,
});

describe('a token answer’s session in the page’s cache', () => {
  it('replaces the cache when the answer is whole', () => {
    const answer = session(['a', 'b', 'c']);
    expect(mergeSessionAnswer(session(['a']), answer)).toBe(answer);
  });

  it('appends only what the page lacked, keeping the answer’s tokens and the server’s limit', () => {
    const cached = session(['a', 'b']);
    const answer = session(['c', 'd'], { exchangesAfter: 'b', serverNow: 2 });
    const merged = mergeSessionAnswer(cached, answer)!;
    expect(merged.exchanges.map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(merged.serverNow).toBe(2);
    expect(merged).not.toHaveProperty('exchangesAfter');
    const full = session(Array.from({ length: TIMELINE_MAX_EXCHANGES }, (_, i) => `e${i}`));
    const grown = mergeSessionAnswer(full, session(['new'], { exchangesAfter: `e${TIMELINE_MAX_EXCHANGES - 1}` }))!;
    expect(grown.exchanges).toHaveLength(TIMELINE_MAX_EXCHANGES);
    expect(grown.exchanges.at(-1)?.id).toBe('new');
  });

  it('adds nothing twice when a session read already brought some of them', () => {
    expect(mergeSessionAnswer(session(['a', 'b', 'c']), session(['c', 'd'], { exchangesAfter: 'b' }))!.exchanges.map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives up when the page no longer holds what the answer builds on, so the page reads the whole session', () => {
    expect(mergeSessionAnswer(session(['x']), session(['c'], { exchangesAfter: 'b' }))).toBeNull();
    expect(mergeSessionAnswer(undefined, session(['c'], { exchangesAfter: 'b' }))).toBeNull();
  });

  it('names the newest exchange the page holds', () => {
    expect(newestExchangeId(session(['a', 'b']))).toBe('b');
    expect(newestExchangeId(session([]))).toBeUndefined();
    expect(newestExchangeId(undefined)).toBeUndefined();
  });
});
