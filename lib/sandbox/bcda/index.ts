import 'server-only';
import type { ConsoleHost } from '../host';
import { createFixedWindowLimiter } from '../shared/rate-limit';
import { sharedSigningKey } from '../shared/signing-key';
import { createMemoryState, processSandboxState, scopedState, type SandboxState } from '../shared/state';
import type { BcdaContext } from './context';
import { createJobStore } from './job-store';
import { routeRequest } from './router';

/** Settings for one emulator instance; every field has a production default, tests override them. */
export interface BcdaSandboxOptions {
  /** Clock in epoch milliseconds. Defaults to `Date.now`. */
  now?: () => number;
  /** Export job duration by number of enrollees. Defaults to 1.5 s + 1 s per 20,000 enrollees, at most 6 s. */
  jobDurationMs?: (enrollees: number) => number;
  /** `/auth/token` limit per ACO. Defaults to SSAS's 100 tokens per 300 seconds. */
  tokenRateLimit?: { max: number; windowSeconds: number };
  /** Public path the sandbox is mounted at. Defaults to `/sandbox/bcda`. */
  mountPath?: string;
  /** Where the signing key, rate-limit windows and export jobs are kept. Defaults to a new in-memory store. */
  state?: SandboxState;
}

/** A fetch-style handler: a Request and the path after the mount point in, a Response out. */
export interface BcdaSandbox {
  handle(request: Request, path: string): Promise<Response>;
}

/** The default export duration: long enough to see progress, short enough not to bore. */
export function defaultJobDurationMs(enrollees: number): number {
  return Math.min(6000, 1500 + (enrollees / 20_000) * 1000);
}

/**
 * Creates an emulator of CMS BCDA's sandbox (sandbox.bcda.cms.gov): `/auth/token`, bulk `$export` on `/api/v2`
 * (and `/api/v3`), job status, NDJSON files under `/data`, plus a JWKS for the console. Its signing key, rate-limit
 * windows and job table live in `options.state` (under `bcda:`), so instances sharing that store answer alike.
 * @see ../shared/PROVIDERS.md section "1. CMS BCDA" (relative to the repository root)
 */
export function createBcdaSandbox(options: BcdaSandboxOptions = {}): BcdaSandbox {
  const state = scopedState(options.state ?? createMemoryState(), 'bcda');
  const context: BcdaContext = {
    now: options.now ?? Date.now,
    getSigningKey: sharedSigningKey(state, 'signing-key', 'RS512'),
    // SSAS limits `/auth/token` per ACO and answers with the full window in `Retry-After`, whatever is left of it.
    tokenLimiter: createFixedWindowLimiter({ ...(options.tokenRateLimit ?? { max: 100, windowSeconds: 300 }), retryAfter: 'window' }, state),
    jobs: createJobStore(state),
    jobDurationMs: options.jobDurationMs ?? defaultJobDurationMs,
    mountPath: options.mountPath ?? '/sandbox/bcda',
  };
  return { handle: (request, path) => routeRequest(context, request, path) };
}

const globalKey = Symbol.for('console.sandbox.bcda');

/**
 * The process-wide sandbox instance, on the console's sandbox state (Redis when configured). It lives on `globalThis`
 * because Next.js may evaluate route modules more than once, and they must share one instance.
 */
export function getBcdaSandbox(consoleHost: ConsoleHost): BcdaSandbox {
  const holder = globalThis as typeof globalThis & { [globalKey]?: BcdaSandbox };
  return (holder[globalKey] ??= createBcdaSandbox({ state: processSandboxState(() => consoleHost.stateSettings()) }));
}

export type { BcdaAccount } from './credentials';
export { bcdaAccounts } from './credentials';
export type { BcdaResourceType } from './synthetic-data';
