import 'server-only';
import { createMemoryJtiStore } from './assertion-verifier';
import type { ConsoleHost } from '../host';
import { builtinRedirectUris } from '../redirect-uris';
import { createSigningKey, lazySigningKey } from '../shared/signing-key';
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
  /** How many dynamically registered clients are kept (the oldest is forgotten). Defaults to 500. */
  maxRegisteredClients?: number;
  /** The registered clients. Defaults to an empty registry of `maxRegisteredClients`; tests pass one to plant a client. */
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
 * client_credentials with private_key_jwt), introspection and a small FHIR R4 API. Each instance has its own
 * signing key, clients, codes and tokens.
 * @see https://hl7.org/fhir/smart-app-launch/
 */
export function createSmartSandbox(options: SmartSandboxOptions): SmartSandbox {
  const context: SmartContext = {
    now: options.now ?? Date.now,
    mountPath: options.mountPath ?? '/sandbox/smart',
    redirectUris: options.redirectUris ?? (() => builtinRedirectUris('smart')),
    getSigningKey: lazySigningKey(() => createSigningKey('RS256')),
    clients: options.clients ?? createClientRegistry(options.maxRegisteredClients),
    store: createStore(),
    jtis: createMemoryJtiStore(),
    jwksCache: createJwksCache(options.consoleHost, options.jwks),
    consoleHost: options.consoleHost,
    dpopJtis: createMemoryJtiStore({ maxEntries: 10_000 }),
    dpopNonces: createDpopNonces(),
  };
  return { handle: (request, path) => routeRequest(context, request, path) };
}

const globalKey = Symbol.for('console.sandbox.smart');

/**
 * The process-wide sandbox instance. It lives on `globalThis` because Next.js may evaluate route modules more
 * than once, and clients, codes and tokens must be shared between them.
 */
export function getSmartSandbox(consoleHost: ConsoleHost): SmartSandbox {
  const holder = globalThis as typeof globalThis & { [globalKey]?: SmartSandbox };
  return (holder[globalKey] ??= createSmartSandbox({ consoleHost }));
}
