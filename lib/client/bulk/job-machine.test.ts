import { describe, expect, it } from 'vitest';
import {
  createJobState,
  getJobEffect,
  isJobSettled,
  MAX_POLLS,
  MAX_TRANSIENT_RETRIES,
  reduceJob,
  type JobEvent,
  type JobState,
  type UpstreamAnswer,
} from './job-machine';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

const manifest = {
  transactionTime: '2026-01-01T12:00:00.000Z',
  request: 'http://x.test/api/v2/Patient/$export',
  requiresAccessToken: true,
  output: [{ type: 'Patient', url: 'http://x.test/data/1/a.ndjson' }],
  error: [{ type: 'OperationOutcome', url: 'http://x.test/data/1/a-error.ndjson' }],
  JobID: 1,
};

const outcome = (code: string, diagnostics: string) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, diagnostics }],
});

function answer(status: number, headers: Record<string, string> = {}, json?: unknown): UpstreamAnswer {
  return { status, headers: Object.entries(headers), json };
}

/**
 * Plays a scripted server against the machine the way the hook does: whenever the effect is a poll, wait until
 * its time, send it and feed the next scripted answer. Returns every state and the times polls went out.
 */
function runPolls(script: UpstreamAnswer[], start: JobState = createJobState(T0)) {
  let state = start;
  const sentAt: number[] = [];
  const states: JobState[] = [state];
  for (const next of script) {
    const effect = getJobEffect(state);
    if (effect.kind !== 'poll') throw new Error(`expected a poll, got ${effect.kind} in ${state.phase}`);
    const now = effect.atMs;
    sentAt.push(now);
    state = reduceJob(state, { type: 'poll-sent' });
    state = reduceJob(state, { type: 'status-answer', answer: next, now });
    states.push(state);
  }
  return { state, sentAt, states };
}

function apply(state: JobState, ...events: JobEvent[]): JobState {
  return events.reduce(reduceJob, state);
}

describe('job state machine: 202 → 429 → 5xx → 200', () => {
  it('polls at once, honours X-Progress and Retry-After, backs off on 429, retries a 503, then completes', () => {
    const { state, sentAt, states } = runPolls([
      answer(202, { 'X-Progress': 'In Progress (40%)', 'Retry-After': '2' }),
      answer(429, { 'Retry-After': '5' }, outcome('throttled', 'Too many status requests')),
      answer(503, {}, outcome('transient', 'Database busy')),
      answer(202, { 'X-Progress': 'In Progress (90%)' }),
      answer(200, { Expires: '2026-01-02 12:00:03 +0000 UTC' }, manifest),
    ]);

    // First poll at once; then +2 s (Retry-After), +5 s (429 Retry-After), +1 s (first transient backoff), +1 s default.
    expect(sentAt.map((t) => t - T0)).toEqual([0, 2000, 7000, 8000, 9000]);

    const [, inProgress, rateLimited, retrying, again] = states;
    expect(inProgress).toMatchObject({ phase: 'polling', progress: { label: 'In Progress (40%)', percent: 40 }, note: null });
    expect(rateLimited).toMatchObject({
      phase: 'polling',
      progress: { percent: 40 },
      note: { kind: 'rate-limited', retryAfter: '5', delayMs: 5000, count: 1 },
    });
    expect(retrying).toMatchObject({
      phase: 'polling',
      transientFailures: 1,
      note: { kind: 'retrying', attempt: 1, of: MAX_TRANSIENT_RETRIES, status: 503 },
    });
    // The OperationOutcome of the 5xx travels with the note so the page can show it.
    expect(retrying?.phase === 'polling' && retrying.note?.kind === 'retrying' && retrying.note.answer?.json).toEqual(
      outcome('transient', 'Database busy'),
    );
    expect(again).toMatchObject({ phase: 'polling', transientFailures: 0, rateLimits: 0, note: null, progress: { percent: 90 } });

    expect(state.phase).toBe('completed');
    if (state.phase !== 'completed') return;
    expect(state.manifest.requiresAccessToken).toBe(true);
    expect(state.manifest.output).toHaveLength(1);
    expect(state.manifest.error).toHaveLength(1);
    expect(state.expires).toBe('2026-01-02 12:00:03 +0000 UTC');
    expect(state.polls).toBe(5);
    expect(isJobSettled(state)).toBe(true);
    expect(getJobEffect(state)).toEqual({ kind: 'none' });
  });

  it('doubles the wait on repeated 429s without Retry-After, and never gives up for them', () => {
    const { sentAt, state } = runPolls([answer(429), answer(429), answer(429), answer(429)]);
    expect(sentAt.slice(1).map((t, i) => t - (sentAt[i] ?? 0))).toEqual([2000, 4000, 8000]);
    expect(state).toMatchObject({ phase: 'polling', rateLimits: 4, note: { kind: 'rate-limited', retryAfter: undefined } });
  });

  it('gives up after MAX_TRANSIENT_RETRIES consecutive 5xx, keeping the last answer; Check again resumes', () => {
    const failures = Array.from({ length: MAX_TRANSIENT_RETRIES + 1 }, () => answer(500, {}, outcome('exception', 'boom')));
    const { state, sentAt } = runPolls(failures);
    expect(sentAt.slice(1).map((t, i) => t - (sentAt[i] ?? 0))).toEqual([1000, 2000, 4000]);
    expect(state).toMatchObject({ phase: 'failed', reason: 'server-error', retryable: true, answer: { status: 500 } });
    expect(isJobSettled(state)).toBe(false);

    const resumed = reduceJob(state, { type: 'check-now', now: T0 + 60_000 });
    expect(resumed).toMatchObject({ phase: 'polling', nextPollAt: T0 + 60_000, transientFailures: 0 });
  });

  it('waits the longer of Retry-After and its own backoff on a 503', () => {
    const { sentAt } = runPolls([answer(503, { 'Retry-After': '10' }), answer(202)]);
    expect(sentAt[1]! - sentAt[0]!).toBe(10_000);
  });

  it('treats an unreachable provider like a 5xx but a console refusal as a failure', () => {
    let state = apply(createJobState(T0), { type: 'poll-sent' }, { type: 'status-error', message: 'x did not answer in time.', retryable: true, now: T0 });
    expect(state).toMatchObject({ phase: 'polling', note: { kind: 'retrying', status: null, attempt: 1 } });
    state = apply(state, { type: 'poll-sent' }, { type: 'status-error', message: 'Refused path', retryable: false, now: T0 + 1000 });
    expect(state).toMatchObject({ phase: 'failed', reason: 'console-error', message: 'Refused path' });
  });
});

describe('job state machine: cancel', () => {
  it('sends DELETE once asked, ends cancelled on 202, and ignores a status answer that crossed it', () => {
    let state = runPolls([answer(202, { 'X-Progress': 'Pending' })]).state;
    state = reduceJob(state, { type: 'poll-sent' });
    state = reduceJob(state, { type: 'cancel-requested' });
    expect(getJobEffect(state)).toEqual({ kind: 'cancel' });

    state = reduceJob(state, { type: 'status-answer', answer: answer(202, { 'X-Progress': 'In Progress (10%)' }), now: T0 + 1000 });
    expect(state.phase).toBe('cancelling');
    expect(state.inFlight).toBe(false);

    state = reduceJob(state, { type: 'cancel-answer', answer: answer(202), now: T0 + 1100 });
    expect(state).toMatchObject({ phase: 'cancelled', by: 'client', answer: { status: 202 } });
    expect(getJobEffect(state)).toEqual({ kind: 'none' });
    expect(isJobSettled(state)).toBe(true);
  });

  it('goes back to polling at once when the cancel is refused (410: job already finished; 1upHealth: 403)', () => {
    const refused = answer(410, {}, outcome('processing', 'job was not cancelled because it is not Pending or In Progress'));
    let state = apply(createJobState(T0), { type: 'cancel-requested' }, { type: 'cancel-answer', answer: refused, now: T0 + 500 });
    expect(state).toMatchObject({ phase: 'polling', nextPollAt: T0 + 500, note: { kind: 'cancel-refused', answer: { status: 410 } } });
    state = runPolls([answer(200, {}, manifest)], state).state;
    expect(state.phase).toBe('completed');
  });

  it('reads a 404 status as a job cancelled (or unknown) on the server, 410 as expired', () => {
    expect(runPolls([answer(404, {}, outcome('not-found', 'Job has been cancelled.'))]).state).toMatchObject({
      phase: 'cancelled',
      by: 'server',
    });
    expect(runPolls([answer(410)]).state.phase).toBe('expired');
  });

  it('cannot cancel a finished job', () => {
    const done = runPolls([answer(200, {}, manifest)]).state;
    expect(reduceJob(done, { type: 'cancel-requested' })).toBe(done);
  });
});

describe('job state machine: an expired token', () => {
  it('renews once on 401 and goes on polling; a second 401 with the new token waits for the user', () => {
    let state = runPolls([answer(202), answer(401, {}, outcome('exception', 'Expired Token'))]).state;
    expect(state.phase).toBe('renewing');
    expect(getJobEffect(state)).toEqual({ kind: 'renew' });

    state = reduceJob(state, { type: 'token-renewed', now: T0 + 5000 });
    expect(state).toMatchObject({ phase: 'polling', renewed: true, nextPollAt: T0 + 5000, note: { kind: 'token-renewed' } });

    const again = runPolls([answer(401)], state).state;
    expect(again).toMatchObject({ phase: 'token-expired' });
    expect(getJobEffect(again)).toEqual({ kind: 'none' });
    expect(reduceJob(again, { type: 'check-now', now: T0 + 9000 })).toMatchObject({ phase: 'polling', renewed: false });

    // After a good answer, a later expiry may be renewed again.
    const recovered = runPolls([answer(202), answer(401)], state).state;
    expect(recovered.phase).toBe('renewing');
  });

  it('asks the user when the token cannot be renewed automatically', () => {
    const state = apply(runPolls([answer(401)]).state, { type: 'renew-failed', message: 'Authorize again above.' });
    expect(state).toMatchObject({ phase: 'token-expired', message: 'Authorize again above.', answer: { status: 401 } });
  });
});

describe('job state machine: edge cases', () => {
  it('fails with the zod issues when a 200 is not a manifest', () => {
    const state = runPolls([answer(200, {}, { transactionTime: 'x', output: 'nope' })]).state;
    expect(state).toMatchObject({ phase: 'failed', reason: 'invalid-manifest', retryable: false });
    expect(state.phase === 'failed' && state.issues?.map((issue) => issue.path)).toContain('output');
  });

  it('fails on a 4xx other than 401/404/410, without retrying', () => {
    expect(runPolls([answer(400, {}, outcome('invalid', 'could not parse job id'))]).state).toMatchObject({
      phase: 'failed',
      reason: 'error-status',
      retryable: false,
    });
  });

  it('sends no second poll while one is in flight, even on Check now', () => {
    const state = apply(createJobState(T0), { type: 'poll-sent' });
    expect(getJobEffect(state)).toEqual({ kind: 'none' });
    expect(reduceJob(state, { type: 'check-now', now: T0 + 10 })).toBe(state);
  });

  it('Check now brings a scheduled poll forward', () => {
    const waiting = runPolls([answer(202, { 'Retry-After': '30' })]).state;
    expect(getJobEffect(waiting)).toEqual({ kind: 'poll', atMs: T0 + 30_000 });
    expect(getJobEffect(reduceJob(waiting, { type: 'check-now', now: T0 + 1 }))).toEqual({ kind: 'poll', atMs: T0 + 1 });
  });

  it('clamps Retry-After to 0.5–60 s', () => {
    expect(runPolls([answer(202, { 'Retry-After': '0' }), answer(202)]).sentAt[1]).toBe(T0 + 500);
    expect(runPolls([answer(202, { 'Retry-After': '86400' }), answer(202)]).sentAt[1]).toBe(T0 + 60_000);
  });

  it('pauses after MAX_POLLS answers; Check again starts counting anew', () => {
    const script = Array.from({ length: MAX_POLLS }, () => answer(202, { 'Retry-After': '1' }));
    const { state } = runPolls(script);
    expect(state.phase).toBe('paused');
    expect(getJobEffect(state)).toEqual({ kind: 'none' });
    expect(reduceJob(state, { type: 'check-now', now: T0 })).toMatchObject({ phase: 'polling', polls: 0 });
  });
});

