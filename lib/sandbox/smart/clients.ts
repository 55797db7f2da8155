import 'server-only';
import type { JSONWebKeySet } from 'jose';
import { smart } from '@/lib/providers/smart';
import { createMemoryState, type SandboxState } from '../shared/state';
import { tableKey } from './store';

/** How a client authenticates at the token endpoint (RFC 7591 §2 `token_endpoint_auth_method`). */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'private_key_jwt' | 'none';

/** A client this server knows: one of the provider file's demo apps, or one registered at `/auth/register`. */
export interface SmartClient {
  clientId: string;
  clientName: string;
  authMethod: TokenEndpointAuthMethod;
  /** client_secret_basic only. */
  clientSecret?: string;
  grantTypes: readonly string[];
  /** Matched exactly (RFC 9700 §2.1). */
  redirectUris: readonly string[];
  /** The scopes the client may be granted (requests must fall within them). */
  scopes: readonly string[];
  /** private_key_jwt: the client's public keys, inline … */
  jwks?: JSONWebKeySet;
  /** … or the console JWKS URL naming them (fetched from the console's own address only: ./console-jwks). */
  jwksUri?: string;
  /** RFC 9449 §5.2: every token request must carry a DPoP proof. */
  dpopBoundAccessTokens: boolean;
  /** RFC 9126 §6: authorization requests must be pushed to the PAR endpoint first. */
  requirePushedAuthorizationRequests: boolean;
  /** Seconds since the epoch; registered clients only. */
  issuedAt?: number;
}

/** The scopes the demo apps may be granted: their recipe's, the v1 forms, and narrower patient scopes. */
const demoAppScopes = [
  'openid',
  'fhirUser',
  'profile',
  'launch/patient',
  'offline_access',
  'online_access',
  'patient/*.rs',
  'patient/*.read',
];

/** The provider file's demo apps as clients, with the redirect URIs registered for them now. */
export function demoClients(redirectUris: readonly string[]): SmartClient[] {
  return smart.presets.map((preset) => {
    const auth = (preset.grant ?? smart.grant).clientAuth;
    return {
      clientId: preset.clientId,
      clientName: preset.label,
      authMethod: auth === 'none' ? 'none' : 'client_secret_basic',
      ...(auth === 'none' ? {} : { clientSecret: preset.clientSecret }),
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris,
      scopes: demoAppScopes,
      dpopBoundAccessTokens: preset.sandboxRegistration.dpop_bound_access_tokens,
      requirePushedAuthorizationRequests: preset.sandboxRegistration.require_pushed_authorization_requests,
    };
  });
}

/**
 * The clients registered at `/auth/register` (RFC 7591), in the sandbox's state: a registration made on one console
 * instance is known to every other, and survives a restart when the state is on Redis. Each is kept
 * {@link registeredClientLifetimeMs}, and at most `capacity` are kept: the oldest registration is forgotten first.
 */
export interface ClientRegistry {
  get(clientId: string): Promise<SmartClient | undefined>;
  add(client: SmartClient): Promise<void>;
}

/** How long a registration is kept: as long as the console keeps a workspace that may name it. */
export const registeredClientLifetimeMs = 90 * 24 * 60 * 60_000;

/**
 * @param state the sandbox's state (scoped to it); a fresh in-memory one by default
 * @param capacity registrations kept at most, across every instance sharing `state`
 */
export function createClientRegistry(state: SandboxState = createMemoryState(), capacity = 500): ClientRegistry {
  return {
    get: (clientId) => state.get<SmartClient>(tableKey('clients', clientId)),
    async add(client) {
      await state.set(tableKey('clients', client.clientId), client, registeredClientLifetimeMs);
      // Registrations are numbered by one shared sequence; the n-th forgets the (n - capacity)-th, whichever instance
      // took either, so the bound holds for all instances together without listing the registrations.
      const number = await state.nextInSequence('client-number');
      await state.set(tableKey('client-by-number', String(number)), client.clientId, registeredClientLifetimeMs);
      if (number <= capacity) return;
      const dropped = tableKey('client-by-number', String(number - capacity));
      const oldest = await state.get<string>(dropped);
      await state.delete(dropped, ...(oldest === undefined ? [] : [tableKey('clients', oldest)]));
    },
  };
}
