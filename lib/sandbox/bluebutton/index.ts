import 'server-only';
import type { ConsoleHost } from '../host';
import { builtinRedirectUris } from '../redirect-uris';
import { createMemoryState, processSandboxState, scopedState, type SandboxState } from '../shared/state';
import type { BlueButtonContext } from './context';
import { addMonths } from './grant-time';
import { routeRequest } from './router';
import { createStore } from './store';

/** Settings for one emulator instance; every field has a production default, tests override them. */
export interface BlueButtonSandboxOptions {
  /** Clock in epoch milliseconds. Defaults to `Date.now`. */
  now?: () => number;
  /** How long an authorization code can be exchanged. Defaults to 10 minutes (django-oauth-toolkit's 600 s). */
  codeLifetimeMs?: number;
  /** How long a login and consent session lasts. Defaults to 30 minutes. */
  pendingLifetimeMs?: number;
  /** Access token lifetime. Defaults to Blue Button's 3600 seconds. */
  accessTokenLifetimeSeconds?: number;
  /** Data-access grant length. Defaults to 13 months. */
  grantLifetimeMonths?: number;
  /** The demo apps' registered redirect URIs. Defaults to `builtinRedirectUris('bluebutton')`, read per request. */
  redirectUris?: () => readonly string[];
  /** Public path the sandbox is mounted at. Defaults to `/sandbox/bluebutton`. */
  mountPath?: string;
  /**
   * Where codes, sessions, tokens and grants are kept: instances given the same store (Redis) answer each other's
   * flows. Defaults to a new in-memory store of this instance alone.
   */
  state?: SandboxState;
}

/** A fetch-style handler: a Request and the path after the mount point in, a Response out. */
export interface BlueButtonSandbox {
  handle(request: Request, path: string): Promise<Response>;
}

/**
 * Creates an emulator of CMS Blue Button 2.0's sandbox (sandbox.bluebutton.cms.gov): the authorize flow with a
 * Medicare.gov-style login and consent page for the synthetic users, the token, revoke and introspect
 * endpoints, FHIR R4 Patient, Coverage and ExplanationOfBenefit with deterministic data, userinfo, and the
 * discovery documents. Its codes, tokens and grants are those of `options.state`, shared with every instance on it.
 * @see ../shared/PROVIDERS.md section "2. CMS Blue Button 2.0" (relative to the repository root)
 */
export function createBlueButtonSandbox(options: BlueButtonSandboxOptions = {}): BlueButtonSandbox {
  const codeLifetimeMs = options.codeLifetimeMs ?? 10 * 60_000;
  const pendingLifetimeMs = options.pendingLifetimeMs ?? 30 * 60_000;
  const accessTokenLifetimeSeconds = options.accessTokenLifetimeSeconds ?? 3600;
  const grantLifetimeMonths = options.grantLifetimeMonths ?? 13;
  const context: BlueButtonContext = {
    now: options.now ?? Date.now,
    codeLifetimeMs,
    pendingLifetimeMs,
    accessTokenLifetimeSeconds,
    grantLifetimeMonths,
    mountPath: options.mountPath ?? '/sandbox/bluebutton',
    redirectUris: options.redirectUris ?? (() => builtinRedirectUris('bluebutton')),
    store: createStore(scopedState(options.state ?? createMemoryState(), 'bluebutton'), {
      pendingMs: pendingLifetimeMs,
      codeMs: codeLifetimeMs,
      accessTokenMs: accessTokenLifetimeSeconds * 1000,
      grantMs: (nowMs) => addMonths(nowMs, grantLifetimeMonths) - nowMs,
    }),
  };
  return { handle: (request, path) => routeRequest(context, request, path) };
}

const globalKey = Symbol.for('console.sandbox.bluebutton');

/**
 * The process-wide sandbox instance, on the console's state store (Redis when the console has `REDIS_URL`). It lives
 * on `globalThis` because Next.js may evaluate route modules more than once, and they must all answer alike.
 */
export function getBlueButtonSandbox(consoleHost: ConsoleHost): BlueButtonSandbox {
  const holder = globalThis as typeof globalThis & { [globalKey]?: BlueButtonSandbox };
  return (holder[globalKey] ??= createBlueButtonSandbox({ state: processSandboxState(() => consoleHost.stateSettings()) }));
}

export type { BlueButtonApp } from './apps';
export { blueButtonApps } from './apps';
