import type { UpstreamAnswer } from './job-machine';

/**
 * One manifest file's download through the BFF, as a pure reducer: idle → downloading (bytes, resources) → done,
 * or interrupted / cancelled (both may start again), or a 401 after the token expired → renewing → downloading
 * again with the new token. A job outlives its token (BCDA: files belong to the ACO), so one renewal is tried;
 * a second 401 needs the user.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#file-request
 */

interface Transfer {
  /** Counts one download request; a retry after a renewal is a new attempt. */
  attempt: number;
  /** This attempt runs on a token fetched because the previous one expired. */
  renewed: boolean;
  startedAt: number;
  updatedAt: number;
  bytes: number;
  resources: number;
  /** From Content-Length; null when the server streams without one (BCDA). */
  totalBytes: number | null;
}

export type FileDownloadState =
  | { phase: 'idle'; attempt: number }
  | ({ phase: 'downloading' } & Transfer)
  | ({ phase: 'done' } & Transfer)
  | ({ phase: 'interrupted'; message: string } & Transfer)
  | ({ phase: 'cancelled' } & Transfer)
  | { phase: 'renewing'; attempt: number; answer: UpstreamAnswer }
  | { phase: 'token-expired'; attempt: number; answer: UpstreamAnswer; message: string }
  | { phase: 'failed'; attempt: number; message: string; answer?: UpstreamAnswer };

export type FileDownloadPhase = FileDownloadState['phase'];

export type FileDownloadEvent =
  | { type: 'start'; now: number }
  /** The BFF answered 200 with the stream; `totalBytes` from its Content-Length. */
  | { type: 'streaming'; totalBytes: number | null; now: number }
  | { type: 'progress'; bytes: number; resources: number; now: number }
  | { type: 'complete'; bytes: number; resources: number; now: number }
  /** The body broke off (network, upstream idle timeout). */
  | { type: 'broken'; bytes: number; resources: number; message: string; now: number }
  | { type: 'aborted'; bytes: number; resources: number; now: number }
  /** The provider answered something other than 2xx, passed on by the BFF. */
  | { type: 'upstream-answer'; answer: UpstreamAnswer }
  /** The console itself refused or could not reach the provider. */
  | { type: 'error'; message: string }
  | { type: 'token-renewed'; now: number }
  | { type: 'renew-failed'; message: string };

export type FileDownloadEffect = { kind: 'download'; attempt: number } | { kind: 'renew' } | { kind: 'none' };

export const initialDownloadState: FileDownloadState = { phase: 'idle', attempt: 0 };

/** What the hook should do next: fetch the file for `attempt` (once), or get a new token. */
export function getDownloadEffect(state: FileDownloadState): FileDownloadEffect {
  if (state.phase === 'downloading') return { kind: 'download', attempt: state.attempt };
  if (state.phase === 'renewing') return { kind: 'renew' };
  return { kind: 'none' };
}

function begin(attempt: number, renewed: boolean, now: number): FileDownloadState {
  return { phase: 'downloading', attempt, renewed, startedAt: now, updatedAt: now, bytes: 0, resources: 0, totalBytes: null };
}

export function reduceDownload(state: FileDownloadState, event: FileDownloadEvent): FileDownloadState {
  switch (event.type) {
    case 'start':
      // Also a retry: a fresh attempt from the first byte (the file server has no ranges to resume from).
      return state.phase === 'downloading' || state.phase === 'renewing' ? state : begin(state.attempt + 1, false, event.now);

    case 'streaming':
      return state.phase === 'downloading' ? { ...state, totalBytes: event.totalBytes, updatedAt: event.now } : state;

    case 'progress':
      if (state.phase !== 'downloading') return state;
      return { ...state, bytes: event.bytes, resources: event.resources, updatedAt: event.now };

    case 'complete': {
      if (state.phase !== 'downloading') return state;
      const transfer = { ...state, bytes: event.bytes, resources: event.resources, updatedAt: event.now };
      if (state.totalBytes !== null && event.bytes < state.totalBytes) {
        return {
          ...transfer,
          phase: 'interrupted',
          message: `The stream ended after ${event.bytes} of ${state.totalBytes} bytes.`,
        };
      }
      return { ...transfer, phase: 'done' };
    }

    case 'broken':
      if (state.phase !== 'downloading') return state;
      return {
        ...state,
        phase: 'interrupted',
        bytes: event.bytes,
        resources: event.resources,
        updatedAt: event.now,
        message: `Interrupted after ${event.bytes} bytes: ${event.message}`,
      };

    case 'aborted':
      if (state.phase !== 'downloading') return state;
      return { ...state, phase: 'cancelled', bytes: event.bytes, resources: event.resources, updatedAt: event.now };

    case 'upstream-answer': {
      if (state.phase !== 'downloading') return state;
      const { answer } = event;
      if (answer.status === 401) {
        if (state.renewed) {
          return {
            phase: 'token-expired',
            attempt: state.attempt,
            answer,
            message: 'The provider still answered 401 with a new token. Check the token above, then download again.',
          };
        }
        return { phase: 'renewing', attempt: state.attempt, answer };
      }
      return { phase: 'failed', attempt: state.attempt, answer, message: describeFileAnswer(answer.status) };
    }

    case 'error':
      return state.phase === 'downloading' ? { phase: 'failed', attempt: state.attempt, message: event.message } : state;

    case 'token-renewed':
      return state.phase === 'renewing' ? begin(state.attempt + 1, true, event.now) : state;

    case 'renew-failed':
      if (state.phase !== 'renewing') return state;
      return { phase: 'token-expired', attempt: state.attempt, answer: state.answer, message: event.message };
  }
}

/** A short reason for a file request's non-2xx answer (Bulk Data IG §"File Request"; BCDA's 404 and 410). */
export function describeFileAnswer(status: number): string {
  if (status === 404) return 'The file is not there (404): the job may have been cancelled, or the URL is wrong.';
  if (status === 410) return 'The file has expired (410): export files are kept for a limited time. Start a new export.';
  if (status === 403) return 'The token may not read this file (403).';
  if (status === 429) return 'Too many requests (429): wait a moment, then download again.';
  if (status >= 500) return `The file server failed (${status}). Try again in a moment.`;
  return `The file request answered ${status}.`;
}

/** Bytes per second over the transfer so far; null before there is anything to measure. */
export function getTransferRate(state: FileDownloadState): number | null {
  if (!('bytes' in state)) return null;
  const seconds = (state.updatedAt - state.startedAt) / 1000;
  return seconds > 0 && state.bytes > 0 ? state.bytes / seconds : null;
}

/**
 * 0–100 when the size is known: by bytes against Content-Length, else by resources against the manifest's `count`;
 * null for an indeterminate bar.
 */
export function getDownloadPercent(state: FileDownloadState, manifestCount: number | undefined): number | null {
  if (!('bytes' in state)) return null;
  if (state.phase === 'done') return 100;
  if (state.totalBytes !== null && state.totalBytes > 0) return Math.min(100, (state.bytes / state.totalBytes) * 100);
  if (manifestCount !== undefined && manifestCount > 0) return Math.min(100, (state.resources / manifestCount) * 100);
  return null;
}
