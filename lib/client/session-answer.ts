import { TIMELINE_MAX_EXCHANGES, type SessionDto } from '@/lib/contract/schemas';

/**
 * The session a token answer carries, as the page's cache should hold it. A whole answer replaces the cache; an answer
 * with only the exchanges after the one the page held (`exchangesAfter`) is appended to the cached timeline, which the
 * server left unchanged (its entries never change once written). Null when the cache no longer holds that exchange:
 * then the page reads the whole session.
 */
export function mergeSessionAnswer(cached: SessionDto | undefined, answer: SessionDto): SessionDto | null {
  if (answer.exchangesAfter === undefined) return answer;
  const known = cached?.exchanges.findIndex((exchange) => exchange.id === answer.exchangesAfter) ?? -1;
  if (!cached || known < 0) return null;
  const held = new Set(cached.exchanges.map((exchange) => exchange.id));
  const exchanges = [...cached.exchanges, ...answer.exchanges.filter((exchange) => !held.has(exchange.id))].slice(-TIMELINE_MAX_EXCHANGES);
  const merged: SessionDto = { ...answer, exchanges };
  delete merged.exchangesAfter;
  return merged;
}

/** The id to send as `sessionAfter`: the newest exchange the page holds, if any. */
export function newestExchangeId(session: SessionDto | undefined): string | undefined {
  return session?.exchanges.at(-1)?.id;
}
