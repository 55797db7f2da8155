import 'server-only';
import type { SigningKey } from '../shared/signing-key';
import type { JobStore } from './job-store';
import type { RateLimiter } from '../shared/rate-limit';

/** The state and settings one sandbox instance shares across its handlers. */
export interface BcdaContext {
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now(): number;
  getSigningKey(): Promise<SigningKey>;
  tokenLimiter: RateLimiter;
  jobs: JobStore;
  /** How long an export job takes to complete, by the data set's number of enrollees. */
  jobDurationMs(enrollees: number): number;
  /** Where the sandbox is mounted on the public origin, e.g. `/sandbox/bcda`. */
  mountPath: string;
}

/**
 * The public base URL of the sandbox for this request. BCDA builds its Content-Location and file URLs from the
 * request's scheme and Host header; ours adds the mount path.
 */
export function getBaseUrl(context: BcdaContext, request: Request): string {
  return `${new URL(request.url).origin}${context.mountPath}`;
}
