import 'server-only';
import { createStateJtiStore } from './assertion-verifier';
import type { ConsoleHost } from '../host';
import { builtinRedirectUris } from '../redirect-uris';
import { sharedSigningKey } from '../shared/signing-key';
import { createMemoryState, processSandboxState, scopedState, type SandboxState } from '../shared/state';
import { createJwksCache, type JwksCacheOptions } from './client-jwks';
import { createDpopNonces } from './dpop';
import { createClientRegistry, type ClientRegistry } from './clients';
import type { SmartContext } from './context';
import { routeRequest } from './router';
import { createStore } from './store';

/** Settings for one emulator instance; every field has a production default, tests override them. */
export interface SmartSandboxOptions {
  /** The console that mounts the sandbox (lib/sandbox/host.ts). */
  consoleHost: ConsoleHost;
  /** Clock in epoch milliseconds. Defaults to `Date.now`. */
  now?: () => number;
  /** Public path the sandbox is mounted at. Defaults to `/sandbox/smart`. */
  mountPath?: string;
  /** The demo apps' registered redirect URIs. Defaults to `builtinRedirectUris('smart')`, read per request. */
  redirectUris?: () => readonly string[];
  /**
   * Where everything that outlives a request is kept (sign-ins, codes, tokens and their families, registrations,
   * replay stores, the DPoP nonce secret, the signing key). Defaults to a fresh in-memory store; instances given the
   * same Redis-backed store answer each other's flows.
   */
  state?: SandboxState;
  /** How many dynamically registered clients are kept (the oldest is forgotten), across instances. Defaults to 500. */
  maxRegisteredClients?: number;
  /** The registered clients. Defaults to a registry of `maxRegisteredClients` in `state`; tests pass one to plant a client. */
  clients?: ClientRegistry;
  jwks?: JwksCacheOptions;
}

/** A fetch-style handler: a Request and the path after the mount point in, a Response out. */
export interface SmartSandbox {
  handle(request: Request, path: string): Promise<Response>;
}

/**
 * Creates the built-in SMART on FHIR reference server: discovery, RFC 7591 registration, the authorize page,
 * the token endpoint (authorization_code with PKCE, rotating refresh tokens, Backend Services'
 * client_credentials with private_key_jwt), introspection and a small FHIR R4 API. Its signing key, clients, codes
 * and tokens live in `options.state`, under the namespace `smart`.
 * @see https://hl7.org/fhir/smart-app-launch/
 */
export function createSmartSandbox(options: SmartSandboxOptions): SmartSandbox {
  const state = scopedState(options.state ?? createMemoryState(), 'smart');
  const context: SmartContext = {
    now: options.now ?? Date.now,
    mountPath: options.mountPath ?? '/sandbox/smart',
    redirectUris: options.redirectUris ?? (() => builtinRedirectUris('smart')),
    getSigningKey: sharedSigningKey(state, 'signing-key', 'RS256'),
    clients: options.clients ?? createClientRegistry(state, options.maxRegisteredClients),
    store: createStore(state),
    jtis: createStateJtiStore(state, 'assertion-jti'),
    jwksCache: createJwksCache(options.consoleHost, options.jwks),
    consoleHost: options.consoleHost,
    dpopJtis: createStateJtiStore(state, 'dpop-jti'),
    dpopNonces: createDpopNonces(state),
  };
  return { handle: (request, path) => routeRequest(context, request, path) };
}

const globalKey = Symbol.for('console.sandbox.smart');

/**
 * The process-wide sandbox instance, on the console's sandbox state (Redis when `REDIS_URL` is set, so every console
 * instance shares it). It lives on `globalThis` because Next.js may evaluate route modules more than once.
 */
export function getSmartSandbox(consoleHost: ConsoleHost): SmartSandbox {
  const holder = globalThis as typeof globalThis & { [globalKey]?: SmartSandbox };
  return (holder[globalKey] ??= createSmartSandbox({ consoleHost, state: processSandboxState(() => consoleHost.stateSettings()) }));
}
