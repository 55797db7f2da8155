import 'server-only';
import type { JtiReplayStore } from './assertion-verifier';
import type { ConsoleHost } from '../host';
import type { SigningKey } from '../shared/signing-key';
import { demoClients, type ClientRegistry, type SmartClient } from './clients';
import type { JwksCache } from './client-jwks';
import type { DpopNonces } from './dpop';
import type { SmartStore } from './store';

/** The state and settings the handlers share; the state itself is in the sandbox's SandboxState. */
export interface SmartContext {
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now(): number;
  /** Where the sandbox is mounted on the public origin, e.g. `/sandbox/smart`. */
  mountPath: string;
  /** The demo apps' registered redirect URIs, read per request. */
  redirectUris(): readonly string[];
  getSigningKey(): Promise<SigningKey>;
  clients: ClientRegistry;
  store: SmartStore;
  /** Client assertion `jti`s already used (RFC 7523 §3), shared by every instance. */
  jtis: JtiReplayStore;
  /** Per process: a miss only fetches the client's keys again. */
  jwksCache: JwksCache;
  /** DPoP proof `jti`s already used, by key thumbprint (RFC 9449 §11.1), shared by every instance. */
  dpopJtis: JtiReplayStore;
  /** Server-issued DPoP nonces (RFC 9449 §8, §9). */
  dpopNonces: DpopNonces;
  /** The console that mounts this sandbox: the only place a registered jwks_uri may point. */
  consoleHost: ConsoleHost;
}

/** This server's URLs as the request reached it: the issuer, the FHIR base and the endpoints. */
export interface ServerUrls {
  origin: string;
  issuer: string;
  fhirBase: string;
  authorize: string;
  token: string;
  register: string;
  introspect: string;
  /** RFC 9126 pushed authorization request endpoint. */
  par: string;
  jwks: string;
}

/**
 * Every absolute URL from the request's own origin (the Host it was sent to), so the browser on localhost and the
 * console's server on 127.0.0.1 each see documents that name the address they used.
 */
export function serverUrls(context: SmartContext, request: Request): ServerUrls {
  const origin = new URL(request.url).origin;
  const issuer = `${origin}${context.mountPath}`;
  return {
    origin,
    issuer,
    fhirBase: `${issuer}/fhir`,
    authorize: `${issuer}/auth/authorize`,
    token: `${issuer}/auth/token`,
    register: `${issuer}/auth/register`,
    introspect: `${issuer}/auth/introspect`,
    par: `${issuer}/auth/par`,
    jwks: `${issuer}/.well-known/jwks.json`,
  };
}

/** A demo app or a registered client by id. */
export async function findClient(context: SmartContext, clientId: string | null | undefined): Promise<SmartClient | undefined> {
  if (!clientId) return undefined;
  return demoClients(context.redirectUris()).find((client) => client.clientId === clientId) ?? (await context.clients.get(clientId));
}

/** 256 random bits, base64url: codes, refresh tokens, registration ids and pending-authorization ids. */
export function randomId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}
