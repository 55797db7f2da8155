import type { FlowTarget } from '@/lib/client/effective-flow';
import { toEnvironmentPath } from '@/lib/client/environment-path';
import { getHeader } from '@/lib/contract/headers';
import type { FhirProxyResponse } from '@/lib/contract/schemas';

/** A kick-off that answered 202: what the page needs to follow the job it started. */
export interface ActiveBulkJob {
  /** The kick-off's exchange id: a new job per kick-off, even when the status URL repeats. */
  kickoffExchangeId: string;
  kickoffPath: string;
  /** Environment, credential set and endpoints of the kick-off: status and files live on the same ones. */
  target: FlowTarget;
  /** The Content-Location header as sent, or null when it was missing. */
  contentLocation: string | null;
  /** The environment-relative status path, or null when the header was missing or foreign. */
  jobPath: string | null;
  /** Browser time of the kick-off, for the elapsed counter. */
  startedAt: number;
}

/** The job a 202 kick-off answer started: its status URL from `Content-Location` (Bulk Data IG). */
export function toActiveBulkJob(response: FhirProxyResponse, kickoffPath: string, target: FlowTarget): ActiveBulkJob {
  const contentLocation = getHeader(response.headers, 'content-location') ?? null;
  return {
    kickoffExchangeId: response.exchangeId,
    kickoffPath,
    target,
    contentLocation,
    jobPath: contentLocation ? toEnvironmentPath(contentLocation, target.endpoints) : null,
    startedAt: Date.now(),
  };
}
