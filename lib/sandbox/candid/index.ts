import 'server-only';
import type { ConsoleHost } from '../host';
import { createFixedWindowLimiter } from '../shared/rate-limit';
import { createMemoryState, processSandboxState, scopedState, type SandboxState } from '../shared/state';
import type { CandidContext } from './context';
import { sharedCandidSigningKey } from './keys';
import { routeRequest } from './router';
import { defaultTokenLifetimeSeconds } from './token';

/** Settings for one emulator instance; every field has a default, tests override them. */
export interface CandidSandboxOptions {
  /** Clock in epoch milliseconds. Defaults to `Date.now`. */
  now?: () => number;
  /**
   * `/api/auth/v2/token` limit per client id. Candid publishes no threshold; defaults to 10 tokens per 60 seconds,
   * far above what a client that reuses its 5-hour token needs.
   */
  tokenRateLimit?: { max: number; windowSeconds: number };
  /** Access token lifetime. Defaults to the documented 5 hours (18000 s); the SDK's example says 86400. */
  tokenLifetimeSeconds?: number;
  /** Public path the sandbox is mounted at. Defaults to `/sandbox/candid`. */
  mountPath?: string;
  /** Where the signing key and rate-limit windows are kept. Defaults to a new in-memory store. */
  state?: SandboxState;
}

/** A fetch-style handler: a Request and the path after the mount point in, a Response out. */
export interface CandidSandbox {
  handle(request: Request, path: string): Promise<Response>;
}

/**
 * Creates an emulator of Candid Health's API: `POST /api/auth/v2/token` (JSON or form body), bearer-protected
 * `GET /api/encounters/v4[/{id}]` and `GET /api/payers/v3[/{uuid}]` with deterministic synthetic data, the
 * signing key as a JWKS (`/.well-known/jwks.json`, the sandbox's addition) and as a PEM (`/pem`). The signing key
 * and rate-limit windows live in `options.state` (under `candid:`), so instances sharing that store answer alike.
 * @see ../shared/PROVIDERS.md section "3. Candid Health" (relative to the repository root)
 */
export function createCandidSandbox(options: CandidSandboxOptions = {}): CandidSandbox {
  const state = scopedState(options.state ?? createMemoryState(), 'candid');
  const context: CandidContext = {
    now: options.now ?? Date.now,
    getSigningKey: sharedCandidSigningKey(state),
    // Candid's real threshold and window are unpublished.
    tokenLimiter: createFixedWindowLimiter(options.tokenRateLimit ?? { max: 10, windowSeconds: 60 }, state),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? defaultTokenLifetimeSeconds,
    mountPath: options.mountPath ?? '/sandbox/candid',
  };
  return { handle: (request, path) => routeRequest(context, request, path) };
}

const globalKey = Symbol.for('console.sandbox.candid');

/**
 * The process-wide sandbox instance, on the console's sandbox state (Redis when configured). It lives on `globalThis`
 * because Next.js may evaluate route modules more than once, and they must share one instance.
 */
export function getCandidSandbox(consoleHost: ConsoleHost): CandidSandbox {
  const holder = globalThis as typeof globalThis & { [globalKey]?: CandidSandbox };
  return (holder[globalKey] ??= createCandidSandbox({ state: processSandboxState(() => consoleHost.stateSettings()) }));
}

export type { CandidAccount } from './credentials';
export { candidAccounts } from './credentials';
