import type { FlowTarget } from './effective-flow';
import { toEnvironmentPath } from './environment-path';
import { FHIR_USER_HEADERS } from '@/lib/contract/headers';
import type { ExchangeDto } from '@/lib/contract/schemas';

export type HistoryMethod = 'GET' | 'POST' | 'DELETE';

/** One line of the workbench's history: a request the session sent through the FHIR proxy, as it can be sent again. */
export interface HistoryEntry {
  /** The newest exchange it stands for. */
  exchangeId: string;
  method: HistoryMethod;
  /** Environment-relative, as the request editor takes it: `/v2/fhir/ExplanationOfBenefit?_count=10`. */
  path: string;
  /** The headers a user may set, as sent (the BFF's own, Authorization first of all, are never among them). */
  headers: Record<string, string>;
  /** As recorded: redacted by the BFF before it was stored. */
  body: string | undefined;
  status: number | null;
  /** A network failure, when there was no status. */
  error: string | undefined;
  startedAt: number;
  durationMs: number;
  /** The same request sent this many times in a row (a bulk status poll), folded into this line. */
  repeats: number;
}

const HISTORY_METHODS: readonly string[] = ['GET', 'POST', 'DELETE'] satisfies HistoryMethod[];

function isHistoryMethod(method: string): method is HistoryMethod {
  return HISTORY_METHODS.includes(method);
}

/**
 * The session's FHIR requests to one provider's environment, newest first, as the BFF recorded them (redacted)
 * in the session timeline: the history survives a reload without anything stored in the browser. Requests in a
 * row with the same method, path and body fold into one line. Exchanges whose URL is not on the target's
 * endpoints (another credential set's host) are left out.
 */
export function getRequestHistory(
  exchanges: readonly ExchangeDto[],
  providerId: string,
  target: Pick<FlowTarget, 'environmentId' | 'endpoints'>,
  limit = 50,
): HistoryEntry[] {
  const newestFirst = exchanges
    .filter((exchange) => exchange.kind === 'fhir' && exchange.providerId === providerId && exchange.environmentId === target.environmentId)
    .sort((a, b) => b.startedAt - a.startedAt);

  const entries: HistoryEntry[] = [];
  for (const exchange of newestFirst) {
    const method = exchange.method.toUpperCase();
    const path = toEnvironmentPath(exchange.url, target.endpoints);
    if (path === null || !isHistoryMethod(method)) continue;
    const body = exchange.request.body ?? undefined;
    const previous = entries[entries.length - 1];
    if (previous && previous.method === method && previous.path === path && previous.body === body) {
      previous.repeats += 1;
      continue;
    }
    if (entries.length === limit) break;
    entries.push({
      exchangeId: exchange.id,
      method,
      path,
      headers: pickUserHeaders(exchange.request.headers),
      body,
      status: exchange.status,
      error: exchange.error,
      startedAt: exchange.startedAt,
      durationMs: exchange.durationMs,
      repeats: 1,
    });
  }
  return entries;
}

function pickUserHeaders(headers: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (FHIR_USER_HEADERS.has(name.toLowerCase())) picked[name] = value;
  }
  return picked;
}
