import { bulkManifestSchema, parseXProgress, type BulkManifest, type BulkProgress } from '@/lib/client/bulk-export';
import { getHeader, readRetryAfterMs, type HeaderList } from '@/lib/contract/headers';

/**
 * The life of one bulk-export job after its kick-off answered 202, as a pure reducer: status polling that honours
 * `Retry-After` and `X-Progress`, backs off on 429, retries a few transient 5xx, renews an expired token once,
 * and ends in a manifest, a cancellation, an expiry or a failure. The React hook only runs the effects it names.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-status-request
 */

/** What the provider answered (through the FHIR proxy) to a status poll or a cancel. */
export interface UpstreamAnswer {
  status: number;
  statusText?: string;
  headers: HeaderList;
  /** The parsed body, when it was JSON. */
  json?: unknown;
  /** The body, when it was text. */
  text?: string;
  exchangeId?: string;
}

/** Consecutive 5xx (or unreachable provider) answers retried before the job is given up. */
export const MAX_TRANSIENT_RETRIES = 3;
/** Status answers before polling pauses (~30 min at 1/s); the user may go on. */
export const MAX_POLLS = 1800;

const DEFAULT_POLL_MS = 1000;
const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 60_000;
/** Without a Retry-After, a 429 waits 2 s, then 4, 8 … up to a minute. */
const RATE_LIMIT_BASE_MS = 2000;
/** Transient failures wait 1 s, 2 s, 4 s (or Retry-After when longer). */
const TRANSIENT_BASE_MS = 1000;

/** Why polling is waiting longer than usual, or what just happened, for a visible note. */
export type JobNote =
  | { kind: 'rate-limited'; delayMs: number; retryAfter: string | undefined; count: number }
  | { kind: 'retrying'; attempt: number; of: number; delayMs: number; status: number | null; message: string; answer?: UpstreamAnswer }
  | { kind: 'token-renewed' }
  | { kind: 'cancel-refused'; answer: UpstreamAnswer }
  | { kind: 'cancel-failed'; message: string };

interface JobCommon {
  startedAt: number;
  /** The last progress the server reported. */
  progress: BulkProgress;
  /** Status answers received so far. */
  polls: number;
  /** A status request is on its way: no second one is sent. */
  inFlight: boolean;
  lastAnswer: UpstreamAnswer | null;
  lastCheckedAt: number | null;
}

export type FailureReason = 'server-error' | 'unreachable' | 'error-status' | 'invalid-manifest' | 'console-error';

export type JobState = JobCommon &
  (
    | {
        phase: 'polling';
        nextPollAt: number;
        note: JobNote | null;
        transientFailures: number;
        rateLimits: number;
        /** A new token was fetched for this job since its last good answer: a second 401 is not renewed again. */
        renewed: boolean;
      }
    | { phase: 'renewing'; answer: UpstreamAnswer }
    | { phase: 'token-expired'; answer: UpstreamAnswer | null; message: string }
    | { phase: 'paused' }
    | { phase: 'cancelling' }
    | { phase: 'completed'; manifest: BulkManifest; expires: string | undefined; answer: UpstreamAnswer }
    | { phase: 'cancelled'; by: 'client' | 'server'; answer: UpstreamAnswer }
    | { phase: 'expired'; answer: UpstreamAnswer }
    | {
        phase: 'failed';
        reason: FailureReason;
        message: string;
        /** Whether "Check now" may try again (a server error may pass; a 400 will not). */
        retryable: boolean;
        answer?: UpstreamAnswer;
        issues?: { path: string; message: string }[];
      }
  );

export type JobPhase = JobState['phase'];

export type JobEvent =
  | { type: 'poll-sent' }
  | { type: 'status-answer'; answer: UpstreamAnswer; now: number }
  /** The console could not get an answer: `retryable` for an unreachable provider or a timeout. */
  | { type: 'status-error'; message: string; retryable: boolean; now: number }
  | { type: 'check-now'; now: number }
  | { type: 'cancel-requested' }
  | { type: 'cancel-answer'; answer: UpstreamAnswer; now: number }
  | { type: 'cancel-error'; message: string; now: number }
  | { type: 'token-renewed'; now: number }
  | { type: 'renew-failed'; message: string };

export type JobEffect = { kind: 'poll'; atMs: number } | { kind: 'renew' } | { kind: 'cancel' } | { kind: 'none' };

/** A job just kicked off: the first status check goes out at once. */
export function createJobState(now: number): JobState {
  return {
    phase: 'polling',
    startedAt: now,
    progress: { label: 'Waiting for the first status answer', percent: null },
    polls: 0,
    inFlight: false,
    lastAnswer: null,
    lastCheckedAt: null,
    nextPollAt: now,
    note: null,
    transientFailures: 0,
    rateLimits: 0,
    renewed: false,
  };
}

/** The phases after which nothing more happens (a retryable failure may still be checked again). */
export function isJobSettled(state: JobState): boolean {
  return (
    state.phase === 'completed' ||
    state.phase === 'cancelled' ||
    state.phase === 'expired' ||
    (state.phase === 'failed' && !state.retryable)
  );
}

/** What the hook should do next. */
export function getJobEffect(state: JobState): JobEffect {
  if (state.phase === 'polling' && !state.inFlight) return { kind: 'poll', atMs: state.nextPollAt };
  if (state.phase === 'renewing') return { kind: 'renew' };
  if (state.phase === 'cancelling') return { kind: 'cancel' };
  return { kind: 'none' };
}

function clampDelay(ms: number): number {
  return Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, ms));
}

function backoff(baseMs: number, attempt: number): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Steps the job with one event. Events that do not apply to the current phase leave it unchanged. */
export function reduceJob(state: JobState, event: JobEvent): JobState {
  switch (event.type) {
    case 'poll-sent':
      return state.phase === 'polling' ? { ...state, inFlight: true } : state;

    case 'status-answer': {
      const received: JobCommon = {
        ...common(state),
        inFlight: false,
        polls: state.polls + 1,
        lastAnswer: event.answer,
        lastCheckedAt: event.now,
      };
      // An answer that crossed a cancel, a renewal or a pause is kept for the record but changes nothing.
      if (state.phase !== 'polling') return { ...state, ...received };
      return onStatusAnswer(state, received, event.answer, event.now);
    }

    case 'status-error': {
      if (state.phase !== 'polling') return { ...state, inFlight: false };
      const received: JobCommon = { ...common(state), inFlight: false, lastCheckedAt: event.now };
      if (!event.retryable) {
        return { ...received, phase: 'failed', reason: 'console-error', message: event.message, retryable: true };
      }
      return onTransientFailure(state, received, event.now, { status: null, message: event.message, reason: 'unreachable' });
    }

    case 'check-now': {
      const canResume =
        state.phase === 'polling' ||
        state.phase === 'paused' ||
        state.phase === 'token-expired' ||
        (state.phase === 'failed' && state.retryable);
      if (!canResume) return state;
      if (state.phase === 'polling') return state.inFlight ? state : { ...state, nextPollAt: event.now };
      // The user acted (a new token, a pause ended): counters start again.
      return { ...pollingFrom(state, event.now), polls: state.phase === 'paused' ? 0 : state.polls };
    }

    case 'cancel-requested': {
      const cancellable = state.phase === 'polling' || state.phase === 'paused' || state.phase === 'token-expired';
      return cancellable ? { ...common(state), phase: 'cancelling' } : state;
    }

    case 'cancel-answer': {
      if (state.phase !== 'cancelling') return state;
      if (isSuccess(event.answer.status)) {
        return { ...common(state), phase: 'cancelled', by: 'client', answer: event.answer };
      }
      // 410 (no longer running) or 403 (1upHealth cannot cancel): the job goes on, or already ended; look again.
      return { ...pollingFrom(state, event.now), note: { kind: 'cancel-refused', answer: event.answer } };
    }

    case 'cancel-error':
      if (state.phase !== 'cancelling') return state;
      return { ...pollingFrom(state, event.now), note: { kind: 'cancel-failed', message: event.message } };

    case 'token-renewed':
      if (state.phase !== 'renewing') return state;
      return { ...pollingFrom(state, event.now), renewed: true, note: { kind: 'token-renewed' } };

    case 'renew-failed':
      if (state.phase !== 'renewing') return state;
      return { ...common(state), phase: 'token-expired', answer: state.answer, message: event.message };
  }
}

function common(state: JobState): JobCommon {
  return {
    startedAt: state.startedAt,
    progress: state.progress,
    polls: state.polls,
    inFlight: state.inFlight,
    lastAnswer: state.lastAnswer,
    lastCheckedAt: state.lastCheckedAt,
  };
}

function pollingFrom(state: JobState, now: number): Extract<JobState, { phase: 'polling' }> {
  return {
    ...common(state),
    phase: 'polling',
    nextPollAt: now,
    note: null,
    transientFailures: 0,
    rateLimits: 0,
    renewed: false,
  };
}

type Polling = Extract<JobState, { phase: 'polling' }>;

function onStatusAnswer(state: Polling, received: JobCommon, answer: UpstreamAnswer, now: number): JobState {
  const retryAfter = getHeader(answer.headers, 'retry-after');
  const { status } = answer;

  if (status === 202) {
    const progress = parseXProgress(getHeader(answer.headers, 'x-progress'));
    if (received.polls >= MAX_POLLS) return { ...received, progress, phase: 'paused' };
    return {
      ...received,
      progress,
      phase: 'polling',
      nextPollAt: now + clampDelay(readRetryAfterMs(retryAfter, now) ?? DEFAULT_POLL_MS),
      note: null,
      transientFailures: 0,
      rateLimits: 0,
      renewed: false,
    };
  }

  if (status === 429) {
    // Bulk Data IG: "polling too frequently" is a 429; the job itself is fine, so keep going, slower.
    const count = state.rateLimits + 1;
    const delayMs = clampDelay(readRetryAfterMs(retryAfter, now) ?? backoff(RATE_LIMIT_BASE_MS, count));
    return {
      ...received,
      phase: 'polling',
      nextPollAt: now + delayMs,
      note: { kind: 'rate-limited', delayMs, retryAfter, count },
      transientFailures: state.transientFailures,
      rateLimits: count,
      renewed: state.renewed,
    };
  }

  if (status >= 500) {
    return onTransientFailure(state, received, now, {
      status,
      message: `The status check answered ${status}${answer.statusText ? ` ${answer.statusText}` : ''}.`,
      reason: 'server-error',
      answer,
      retryAfterMs: readRetryAfterMs(retryAfter, now),
    });
  }

  if (status === 200) {
    const parsed = bulkManifestSchema.safeParse(answer.json);
    if (!parsed.success) {
      return {
        ...received,
        phase: 'failed',
        reason: 'invalid-manifest',
        message: 'The job finished, but its answer is not a Bulk Data manifest.',
        retryable: false,
        answer,
        issues: parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.') || '(root)',
          message: issue.message,
        })),
      };
    }
    return {
      ...received,
      progress: { label: 'Completed', percent: 100 },
      phase: 'completed',
      manifest: parsed.data,
      expires: getHeader(answer.headers, 'expires'),
      answer,
    };
  }

  if (status === 401) {
    if (state.renewed) {
      return {
        ...received,
        phase: 'token-expired',
        answer,
        message: 'The provider still answered 401 with a new token. Check the token above, then check again.',
      };
    }
    return { ...received, phase: 'renewing', answer };
  }

  // Bulk Data IG: a cancelled (or unknown) job answers 404; BCDA answers 410 once its files are past 24 hours.
  if (status === 404) return { ...received, phase: 'cancelled', by: 'server', answer };
  if (status === 410) return { ...received, phase: 'expired', answer };

  return {
    ...received,
    phase: 'failed',
    reason: 'error-status',
    message: `The status check answered ${status}${answer.statusText ? ` ${answer.statusText}` : ''}: the job failed.`,
    retryable: false,
    answer,
  };
}

function onTransientFailure(
  state: Polling,
  received: JobCommon,
  now: number,
  failure: {
    status: number | null;
    message: string;
    reason: 'server-error' | 'unreachable';
    answer?: UpstreamAnswer;
    retryAfterMs?: number | null;
  },
): JobState {
  const attempt = state.transientFailures + 1;
  if (attempt > MAX_TRANSIENT_RETRIES) {
    return {
      ...received,
      phase: 'failed',
      reason: failure.reason,
      message: `${failure.message} Gave up after ${MAX_TRANSIENT_RETRIES} retries.`,
      retryable: true,
      answer: failure.answer,
    };
  }
  const delayMs = clampDelay(Math.max(failure.retryAfterMs ?? 0, backoff(TRANSIENT_BASE_MS, attempt)));
  return {
    ...received,
    phase: 'polling',
    nextPollAt: now + delayMs,
    note: {
      kind: 'retrying',
      attempt,
      of: MAX_TRANSIENT_RETRIES,
      delayMs,
      status: failure.status,
      message: failure.message,
      answer: failure.answer,
    },
    transientFailures: attempt,
    rateLimits: state.rateLimits,
    renewed: state.renewed,
  };
}
