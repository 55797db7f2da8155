import type { FileDownloadEvent } from '@/lib/client/bulk/download-machine';
import type { JobEvent, UpstreamAnswer } from '@/lib/client/bulk/job-machine';
import { isApiClientError } from './api-client-error';
import { DownloadAbortedError, DownloadInterruptedError, type DownloadAnswer, type DownloadedFile } from './bulk-download';
import type { FhirProxyResponse } from '@/lib/contract/schemas';

/** Translates what the api-client returned or threw into the events of the bulk state machines. */

/** Errors that say nothing about the job, only that the provider could not be reached this time. */
const TRANSIENT_CODES = new Set(['network_error', 'upstream_unreachable', 'upstream_timeout']);

/** The proxy's description of an upstream answer, as the state machines see it. */
export function toUpstreamAnswer(response: FhirProxyResponse): UpstreamAnswer {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    json: response.bodyKind === 'json' ? response.json : undefined,
    text: response.bodyKind === 'text' ? response.text : undefined,
    exchangeId: response.exchangeId,
  };
}

/** A status poll the console could not complete: retried when the provider was only unreachable. */
export function toStatusErrorEvent(error: unknown, now: number): JobEvent {
  if (isApiClientError(error)) {
    return { type: 'status-error', message: error.body.message, retryable: TRANSIENT_CODES.has(error.code), now };
  }
  return { type: 'status-error', message: error instanceof Error ? error.message : 'Unexpected error', retryable: false, now };
}

/** How a download ended, as one event. */
export function toDownloadEvent(outcome: DownloadedFile | DownloadAnswer, now: number): FileDownloadEvent {
  if (outcome.kind === 'answer') return { type: 'upstream-answer', answer: toUpstreamAnswer(outcome.response) };
  return { type: 'complete', bytes: outcome.tally.bytes, resources: outcome.tally.resources, now };
}

/** A download that threw: cancelled by the user, broken mid-stream, or refused by the console. */
export function toDownloadErrorEvent(error: unknown, now: number): FileDownloadEvent {
  if (error instanceof DownloadAbortedError) return { type: 'aborted', ...error.progress, now };
  if (error instanceof DownloadInterruptedError) return { type: 'broken', ...error.progress, message: error.reason, now };
  if (isApiClientError(error)) return { type: 'error', message: error.body.hint ? `${error.body.message} ${error.body.hint}` : error.body.message };
  return { type: 'error', message: error instanceof Error ? error.message : 'Unexpected error' };
}
