import 'server-only';
import type { ConsoleHost } from '@/lib/sandbox/host';
import { builtinRedirectUris } from '@/lib/sandbox/redirect-uris';
import { createMemoryState, processSandboxState, scopedState, type SandboxState } from '@/lib/sandbox/shared/state';
import { createContactStore } from './contact-store';
import type { ApiAuthErrorFormat, HealthSherpaContext } from './context';
import { createOAuthStore } from './oauth-store';
import { routeRequest } from './router';

/** Settings for one emulator instance; every field has a production default, tests override them. */
export interface HealthSherpaSandboxOptions {
  /** Clock in epoch milliseconds. Defaults to `Date.now`. */
  now?: () => number;
  /** Public path the sandbox is mounted at. Defaults to `/sandbox/healthsherpa`. */
  mountPath?: string;
  /**
   * Redirect URIs registered for the demo partner app, matched exactly. Defaults to
   * `builtinRedirectUris('healthsherpa')`, read on every request so a changed PORT or public origin applies.
   */
  redirectUris?: readonly string[];
  /** How the API reports token problems: the seed's envelope (default) or Doorkeeper's OAuth body. */
  apiAuthErrors?: ApiAuthErrorFormat;
  /**
   * Where codes, sessions, tokens and contacts are kept: instances given the same store (Redis) answer each other's
   * flows. Defaults to a new in-memory store of this instance alone.
   */
  state?: SandboxState;
}

/** A fetch-style handler: a Request and the path after the mount point in, a Response out. */
export interface HealthSherpaSandbox {
  handle(request: Request, path: string): Promise<Response>;
}

/**
 * Creates an emulator of HealthSherpa for Medicare's OAuth server (Doorkeeper: `/oauth/authorize` with agent
 * sign-in and consent, `/oauth/token` for authorization codes and rotating refresh tokens) and of the Partner
 * API v2 contacts on `/v2`. Its codes, tokens and contacts are those of `options.state`, shared with every instance on it.
 * @see ../shared/seeds/healthsherpa-authentication.md (relative to the repository root)
 * @see ../shared/PROVIDERS.md section "5. HealthSherpa"
 */
export function createHealthSherpaSandbox(options: HealthSherpaSandboxOptions = {}): HealthSherpaSandbox {
  const now = options.now ?? Date.now;
  const fixed = options.redirectUris;
  const state = scopedState(options.state ?? createMemoryState(), 'healthsherpa');
  const context: HealthSherpaContext = {
    now,
    mountPath: options.mountPath ?? '/sandbox/healthsherpa',
    redirectUris: () => fixed ?? builtinRedirectUris('healthsherpa'),
    apiAuthErrors: options.apiAuthErrors ?? 'seed',
    oauth: createOAuthStore(state, now),
    contacts: createContactStore(state),
  };
  return { handle: (request, path) => routeRequest(context, request, path) };
}

const globalKey = Symbol.for('console.sandbox.healthsherpa');

/**
 * The process-wide sandbox instance, on the console's state store (Redis when the console has `REDIS_URL`). It lives
 * on `globalThis` because Next.js may evaluate route modules more than once, and they must all answer alike.
 */
export function getHealthSherpaSandbox(consoleHost: ConsoleHost): HealthSherpaSandbox {
  const holder = globalThis as typeof globalThis & { [globalKey]?: HealthSherpaSandbox };
  return (holder[globalKey] ??= createHealthSherpaSandbox({ state: processSandboxState(() => consoleHost.stateSettings()) }));
}

export type { HealthSherpaAgent, HealthSherpaApp } from './clients';
export { healthsherpaAgents, healthsherpaApps } from './clients';
export type { Contact } from './contact';
