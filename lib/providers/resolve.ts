import 'server-only';
import type { Environment, EnvironmentOverride, Provider } from './schema';

/** Absolute endpoints of one environment of one provider. */
export interface ResolvedEnvironment {
  provider: Provider;
  environment: Environment;
  /** Origin plus any mount prefix: `https://sandbox.bcda.cms.gov`, or `http://127.0.0.1:3000/sandbox/bcda`. */
  baseUrl: string;
  origin: string;
  /** Origin plus prefix of the API (FHIR) calls: the same as `baseUrl` unless the API has its own host. */
  apiBaseUrl: string;
  apiOrigin: string;
  tokenUrl: URL;
  fhirBaseUrl: URL;
  authorizeUrl?: URL;
  jwksUrl?: URL;
  introspectionUrl?: URL;
  signingKeyPemUrl?: URL;
  /** RFC 9126 §5 `pushed_authorization_request_endpoint`. */
  pushedAuthorizationUrl?: URL;
}

/**
 * Where the console reaches its own built-in sandboxes: loopback on the port it serves, unless
 * CONSOLE_INTERNAL_ORIGIN says otherwise (e.g. a container where the app listens elsewhere).
 */
export function builtinOrigin(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CONSOLE_INTERNAL_ORIGIN?.trim();
  if (configured) return new URL(configured).origin;
  return `http://127.0.0.1:${env.PORT ?? '3000'}`;
}

/** Whether `origin` is this very process (its loopback address on its own port), not another server. */
export function isThisServer(origin: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return origin === `http://127.0.0.1:${env.PORT ?? '3000'}`;
}

/**
 * Absolute endpoints of an environment, with a preset's overrides applied (a flow on another host or path).
 * @param internalOrigin where the server reaches the built-in sandboxes; a page-facing URL passes the browser's origin.
 */
export function resolveEnvironment(
  provider: Provider,
  baseEnvironment: Environment,
  internalOrigin: string = builtinOrigin(),
  override: EnvironmentOverride = {},
): ResolvedEnvironment {
  const environment: Environment = { ...baseEnvironment, ...override, origin: override.origin ?? baseEnvironment.origin };
  const baseUrl = environment.origin ?? `${internalOrigin}/sandbox/${provider.id}`;
  // The built-in sandbox serves the API on its own mount, whatever host the real one uses.
  const apiBaseUrl = environment.origin === null ? baseUrl : (environment.apiOrigin ?? baseUrl);
  const at = (path: string) => new URL(baseUrl + path);
  return {
    provider,
    environment,
    baseUrl,
    origin: new URL(baseUrl).origin,
    apiBaseUrl,
    apiOrigin: new URL(apiBaseUrl).origin,
    tokenUrl: at(environment.tokenPath),
    fhirBaseUrl: new URL(apiBaseUrl + environment.fhirBasePath),
    authorizeUrl: environment.authorizeUrl ? new URL(environment.authorizeUrl) : environment.authorizePath ? at(environment.authorizePath) : undefined,
    jwksUrl: environment.jwksUrl ? new URL(environment.jwksUrl) : environment.jwksPath ? at(environment.jwksPath) : undefined,
    introspectionUrl: environment.introspectionPath ? at(environment.introspectionPath) : undefined,
    signingKeyPemUrl: environment.signingKeyPemUrl ? new URL(environment.signingKeyPemUrl) : undefined,
    pushedAuthorizationUrl: environment.pushedAuthorizationUrl
      ? new URL(environment.pushedAuthorizationUrl)
      : environment.pushedAuthorizationPath
        ? at(environment.pushedAuthorizationPath)
        : undefined,
  };
}
