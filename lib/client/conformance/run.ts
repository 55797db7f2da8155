import { checkCatalogueDtoSchema, conformanceEventSchema, type CheckCatalogueDto, type CheckOutcome, type CheckResult, type ConformanceEvent } from '@/lib/contract/conformance';
import type { ConformanceRunRequest } from '@/lib/contract/schemas';
import { apiPostStream, apiRequest } from '../request';

/** "Check this server" on the page: the run's NDJSON events read as they come, folded into one state. */

export interface ConformanceRunState {
  status: 'idle' | 'running' | 'done' | 'failed';
  providerId?: string;
  environmentId?: string;
  checkIds: string[];
  /** What the server is doing now, in words. */
  step?: string;
  results: Record<string, CheckResult>;
  summary?: Record<CheckOutcome, number>;
  startedAt?: number;
  finishedAt?: number;
  /** Why the run stopped, in words, when it failed. */
  error?: string;
}

export const initialRunState: ConformanceRunState = { status: 'idle', checkIds: [], results: {} };

export type RunAction = { type: 'begin' } | { type: 'event'; event: ConformanceEvent } | { type: 'fail'; message: string };

export function conformanceRunReducer(state: ConformanceRunState, action: RunAction): ConformanceRunState {
  switch (action.type) {
    case 'begin':
      return { ...initialRunState, status: 'running', step: 'Starting the run' };
    case 'fail':
      return { ...state, status: 'failed', step: undefined, error: action.message };
    case 'event': {
      const event = action.event;
      switch (event.type) {
        case 'start':
          return { ...state, status: 'running', providerId: event.providerId, environmentId: event.environmentId, checkIds: event.checkIds, startedAt: event.startedAt };
        case 'progress':
          return { ...state, step: event.step };
        case 'result':
          return { ...state, results: { ...state.results, [event.result.checkId]: event.result } };
        case 'done':
          return { ...state, status: 'done', step: undefined, summary: event.summary, finishedAt: event.finishedAt };
        case 'error':
          return { ...state, status: 'failed', step: undefined, error: event.message };
      }
    }
  }
}

/**
 * Reads an NDJSON stream line by line, each parsed with the contract's schema; a line that does not parse ends the
 * run with a sentence instead of a crash (`onEvent` gets an `error` event).
 */
export async function readConformanceStream(stream: ReadableStream<Uint8Array>, onEvent: (event: ConformanceEvent) => void): Promise<void> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let ended = false;
  const emit = (line: string) => {
    if (line.trim() === '') return;
    let parsed: ReturnType<typeof conformanceEventSchema.safeParse>;
    try {
      parsed = conformanceEventSchema.safeParse(JSON.parse(line));
    } catch {
      parsed = conformanceEventSchema.safeParse(undefined);
    }
    if (!parsed.success) {
      onEvent({ type: 'error', message: 'The server’s answer broke off or was not a conformance run; the exchanges so far are in the timeline.' });
      ended = true;
      return;
    }
    onEvent(parsed.data);
    if (parsed.data.type === 'done' || parsed.data.type === 'error') ended = true;
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      emit(line);
      if (ended) {
        await reader.cancel();
        return;
      }
    }
  }
  emit(buffered);
  if (!ended) onEvent({ type: 'error', message: 'The run ended before its results were complete; the exchanges so far are in the timeline.' });
}

/** Starts a run and feeds its events to `onEvent`; throws ApiClientError when the server refuses to start it. */
export async function runConformanceChecks(providerId: string, request: ConformanceRunRequest, onEvent: (event: ConformanceEvent) => void, signal?: AbortSignal): Promise<void> {
  const stream = await apiPostStream(`/api/conformance/${encodeURIComponent(providerId)}`, request, signal);
  await readConformanceStream(stream, onEvent);
}

/** Every check the console runs, for titles, groups and citations beside the results. */
export function fetchCheckCatalogue(signal?: AbortSignal): Promise<CheckCatalogueDto> {
  return apiRequest('/api/conformance/catalogue', checkCatalogueDtoSchema, { signal });
}
