import 'server-only';
import { builtinRedirectUris } from '../redirect-uris';
import type { BlueButtonContext } from './context';
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
}

/** A fetch-style handler: a Request and the path after the mount point in, a Response out. */
export interface BlueButtonSandbox {
  handle(request: Request, path: string): Promise<Response>;
}

/**
 * Creates an emulator of CMS Blue Button 2.0's sandbox (sandbox.bluebutton.cms.gov): the authorize flow with a
 * Medicare.gov-style login and consent page for the synthetic users, the token, revoke and introspect
 * endpoints, FHIR R4 Patient, Coverage and ExplanationOfBenefit with deterministic data, userinfo, and the
 * discovery documents. Each instance has its own codes, tokens and grants.
 * @see ../shared/PROVIDERS.md section "2. CMS Blue Button 2.0" (relative to the repository root)
 */
export function createBlueButtonSandbox(options: BlueButtonSandboxOptions = {}): BlueButtonSandbox {
  const context: BlueButtonContext = {
    now: options.now ?? Date.now,
    codeLifetimeMs: options.codeLifetimeMs ?? 10 * 60_000,
    pendingLifetimeMs: options.pendingLifetimeMs ?? 30 * 60_000,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    grantLifetimeMonths: options.grantLifetimeMonths ?? 13,
    mountPath: options.mountPath ?? '/sandbox/bluebutton',
    redirectUris: options.redirectUris ?? (() => builtinRedirectUris('bluebutton')),
    store: createStore(),
  };
  return { handle: (request, path) => routeRequest(context, request, path) };
}

const globalKey = Symbol.for('console.sandbox.bluebutton');

/**
 * The process-wide sandbox instance. It lives on `globalThis` because Next.js may evaluate route modules more
 * than once, and codes and tokens must be shared between them.
 */
export function getBlueButtonSandbox(): BlueButtonSandbox {
  const holder = globalThis as typeof globalThis & { [globalKey]?: BlueButtonSandbox };
  return (holder[globalKey] ??= createBlueButtonSandbox());
}

export type { BlueButtonApp } from './apps';
export { blueButtonApps } from './apps';
