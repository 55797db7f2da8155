import 'server-only';
import type { JSONWebKeySet } from 'jose';
import { smart } from '@/lib/providers/smart';

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

/** Registered clients, in memory per process; the oldest is forgotten past `capacity`. */
export interface ClientRegistry {
  get(clientId: string): SmartClient | undefined;
  add(client: SmartClient): void;
}

export function createClientRegistry(capacity = 500): ClientRegistry {
  const clients = new Map<string, SmartClient>();
  return {
    get: (clientId) => clients.get(clientId),
    add(client) {
      clients.set(client.clientId, client);
      // A Map iterates in insertion order: the first key is the oldest registration.
      while (clients.size > capacity) {
        const oldest = clients.keys().next().value;
        if (oldest === undefined) break;
        clients.delete(oldest);
      }
    },
  };
}
