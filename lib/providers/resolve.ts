import type { Environment, Provider } from './schema';

/** Absolute endpoints of one environment of one provider. */
export interface ResolvedEnvironment {
  provider: Provider;
  environment: Environment;
  /** Origin plus any mount prefix: `https://sandbox.bcda.cms.gov`, or `http://127.0.0.1:3000/sandbox/bcda`. */
  baseUrl: string;
  origin: string;
  tokenUrl: URL;
  fhirBaseUrl: URL;
  authorizeUrl?: URL;
  jwksUrl?: URL;
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

export function resolveEnvironment(
  provider: Provider,
  environment: Environment,
  internalOrigin: string = builtinOrigin(),
): ResolvedEnvironment {
  const baseUrl = environment.origin ?? `${internalOrigin}/sandbox/${provider.id}`;
  const at = (path: string) => new URL(baseUrl + path);
  return {
    provider,
    environment,
    baseUrl,
    origin: new URL(baseUrl).origin,
    tokenUrl: at(environment.tokenPath),
    fhirBaseUrl: at(environment.fhirBasePath),
    authorizeUrl: environment.authorizePath ? at(environment.authorizePath) : undefined,
    jwksUrl: environment.jwksPath ? at(environment.jwksPath) : undefined,
  };
}
