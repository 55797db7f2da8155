import 'server-only';
import { builtinRedirectUris } from '@/lib/sandbox/redirect-uris';
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
}

/** A fetch-style handler: a Request and the path after the mount point in, a Response out. */
export interface HealthSherpaSandbox {
  handle(request: Request, path: string): Promise<Response>;
}

/**
 * Creates an emulator of HealthSherpa for Medicare's OAuth server (Doorkeeper: `/oauth/authorize` with agent
 * sign-in and consent, `/oauth/token` for authorization codes and rotating refresh tokens) and of the Partner
 * API v2 contacts on `/v2`. Each instance has its own codes, tokens and contacts.
 * @see ../shared/seeds/healthsherpa-authentication.md (relative to the repository root)
 * @see ../shared/PROVIDERS.md section "5. HealthSherpa"
 */
export function createHealthSherpaSandbox(options: HealthSherpaSandboxOptions = {}): HealthSherpaSandbox {
  const now = options.now ?? Date.now;
  const fixed = options.redirectUris;
  const context: HealthSherpaContext = {
    now,
    mountPath: options.mountPath ?? '/sandbox/healthsherpa',
    redirectUris: () => fixed ?? builtinRedirectUris('healthsherpa'),
    apiAuthErrors: options.apiAuthErrors ?? 'seed',
    oauth: createOAuthStore(now),
    contacts: createContactStore(),
  };
  return { handle: (request, path) => routeRequest(context, request, path) };
}

const globalKey = Symbol.for('console.sandbox.healthsherpa');

/**
 * The process-wide sandbox instance. It lives on `globalThis` because Next.js may evaluate route modules more
 * than once, and codes, tokens and contacts must be shared between them.
 */
export function getHealthSherpaSandbox(): HealthSherpaSandbox {
  const holder = globalThis as typeof globalThis & { [globalKey]?: HealthSherpaSandbox };
  return (holder[globalKey] ??= createHealthSherpaSandbox());
}

export type { HealthSherpaAgent, HealthSherpaApp } from './clients';
export { healthsherpaAgents, healthsherpaApps } from './clients';
export type { Contact } from './contact';
