import { describe, expect, it } from 'vitest';
import {
  describeFileAnswer,
  getDownloadEffect,
  getDownloadPercent,
  getTransferRate,
  initialDownloadState,
  reduceDownload,
  type FileDownloadEvent,
  type FileDownloadState,
} from './download-machine';

const T0 = 1_000_000;

function apply(state: FileDownloadState, ...events: FileDownloadEvent[]): FileDownloadState {
  return events.reduce(reduceDownload, state);
}

const unauthorized = { status: 401, headers: [], json: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: 'Expired Token' }] } };

describe('file download state machine', () => {
  it('idle → downloading (bytes, resources) → done, with a rate', () => {
    let state = apply(initialDownloadState, { type: 'start', now: T0 });
    expect(state).toMatchObject({ phase: 'downloading', attempt: 1, bytes: 0, renewed: false });
    expect(getDownloadEffect(state)).toEqual({ kind: 'download', attempt: 1 });

    state = apply(state, { type: 'streaming', totalBytes: null, now: T0 + 10 }, { type: 'progress', bytes: 1_048_576, resources: 500, now: T0 + 500 });
    expect(getTransferRate(state)).toBe(2_097_152);
    expect(getDownloadPercent(state, undefined)).toBeNull();
    expect(getDownloadPercent(state, 1000)).toBe(50);

    state = apply(state, { type: 'complete', bytes: 2_097_152, resources: 1000, now: T0 + 1000 });
    expect(state).toMatchObject({ phase: 'done', bytes: 2_097_152, resources: 1000 });
    expect(getDownloadPercent(state, undefined)).toBe(100);
    expect(getDownloadEffect(state)).toEqual({ kind: 'none' });
  });

  it('expired token mid-download: 401 → renewing → a new attempt on the new token → done', () => {
    let state = apply(initialDownloadState, { type: 'start', now: T0 }, { type: 'upstream-answer', answer: unauthorized });
    expect(state).toMatchObject({ phase: 'renewing', attempt: 1 });
    expect(getDownloadEffect(state)).toEqual({ kind: 'renew' });

    state = apply(state, { type: 'token-renewed', now: T0 + 300 });
    expect(state).toMatchObject({ phase: 'downloading', attempt: 2, renewed: true, bytes: 0 });
    expect(getDownloadEffect(state)).toEqual({ kind: 'download', attempt: 2 });

    state = apply(state, { type: 'complete', bytes: 100, resources: 2, now: T0 + 400 });
    expect(state).toMatchObject({ phase: 'done', renewed: true, resources: 2 });
  });

  it('a second 401 on the new token needs the user: no renewal loop', () => {
    const state = apply(
      initialDownloadState,
      { type: 'start', now: T0 },
      { type: 'upstream-answer', answer: unauthorized },
      { type: 'token-renewed', now: T0 + 1 },
      { type: 'upstream-answer', answer: unauthorized },
    );
    expect(state).toMatchObject({ phase: 'token-expired', attempt: 2 });
    expect(getDownloadEffect(state)).toEqual({ kind: 'none' });
    // The user got a token and starts again: a fresh attempt that may renew once more.
    expect(apply(state, { type: 'start', now: T0 + 2 })).toMatchObject({ phase: 'downloading', attempt: 3, renewed: false });
  });

  it('a renewal that only the user can do ends in token-expired with the reason', () => {
    const state = apply(
      initialDownloadState,
      { type: 'start', now: T0 },
      { type: 'upstream-answer', answer: unauthorized },
      { type: 'renew-failed', message: 'Authorize again above.' },
    );
    expect(state).toMatchObject({ phase: 'token-expired', message: 'Authorize again above.', answer: { status: 401 } });
  });

  it('a stream that breaks off is interrupted with its count, and may be retried from the start', () => {
    let state = apply(
      initialDownloadState,
      { type: 'start', now: T0 },
      { type: 'progress', bytes: 4096, resources: 10, now: T0 + 100 },
      { type: 'broken', bytes: 5000, resources: 12, message: 'network error', now: T0 + 200 },
    );
    expect(state).toMatchObject({ phase: 'interrupted', bytes: 5000, resources: 12, message: 'Interrupted after 5000 bytes: network error' });
    state = apply(state, { type: 'start', now: T0 + 300 });
    expect(state).toMatchObject({ phase: 'downloading', attempt: 2, bytes: 0 });
  });

  it('a stream shorter than its Content-Length is interrupted, not done', () => {
    const state = apply(
      initialDownloadState,
      { type: 'start', now: T0 },
      { type: 'streaming', totalBytes: 1000, now: T0 },
      { type: 'progress', bytes: 400, resources: 4, now: T0 + 1 },
    );
    expect(getDownloadPercent(state, 99)).toBe(40);
    expect(apply(state, { type: 'complete', bytes: 600, resources: 6, now: T0 + 2 })).toMatchObject({
      phase: 'interrupted',
      message: 'The stream ended after 600 of 1000 bytes.',
    });
  });

  it('cancel keeps the counts so far', () => {
    const state = apply(initialDownloadState, { type: 'start', now: T0 }, { type: 'aborted', bytes: 77, resources: 1, now: T0 + 5 });
    expect(state).toMatchObject({ phase: 'cancelled', bytes: 77, resources: 1 });
  });

  it('explains 404 and 410 file answers, and ignores events of another phase', () => {
    const gone = apply(initialDownloadState, { type: 'start', now: T0 }, { type: 'upstream-answer', answer: { status: 410, headers: [] } });
    expect(gone).toMatchObject({ phase: 'failed', message: describeFileAnswer(410) });
    expect(describeFileAnswer(404)).toMatch(/404/);
    expect(apply(gone, { type: 'progress', bytes: 1, resources: 1, now: T0 })).toBe(gone);
    expect(apply(initialDownloadState, { type: 'complete', bytes: 1, resources: 1, now: T0 })).toBe(initialDownloadState);
  });

  it('does not start twice while downloading', () => {
    const running = apply(initialDownloadState, { type: 'start', now: T0 });
    expect(apply(running, { type: 'start', now: T0 + 1 })).toBe(running);
  });
});
