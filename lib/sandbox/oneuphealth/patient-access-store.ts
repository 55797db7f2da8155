import 'server-only';
import { randomBytes } from 'node:crypto';

/**
 * Server-side state of the demo plan's authorization server: pending sign-ins, authorization codes, access
 * and refresh tokens. Everything is in memory, bounded, and expires by the injected clock.
 */

/** A validated authorization request waiting for the member to sign in and consent. */
export interface PendingAuthorization {
  id: string;
  systemId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  nonce?: string;
  createdAtMs: number;
  /** Set once the member signed in. */
  memberIndex?: number;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  memberIndex: number;
  codeChallenge?: string;
  nonce?: string;
  expiresAtMs: number;
  used: boolean;
}

/** What an access or refresh token stands for. */
export interface TokenGrant {
  clientId: string;
  memberIndex: number;
  scopes: string[];
  /** The code the grant came from: a replayed code revokes everything issued from it (RFC 6749 §4.1.2). */
  code: string;
  expiresAtMs: number;
  revoked: boolean;
}

/** Sign-in pages stay usable this long. */
export const pendingAuthorizationLifetimeMs = 30 * 60 * 1000;
/** 1up: "The auth code expires in 5 minutes." */
export const authorizationCodeLifetimeMs = 5 * 60 * 1000;
/** The legacy 1up token response's `expires_in`. */
export const patientAccessTokenLifetimeSeconds = 7199;
/** Refresh tokens are not documented to expire; the sandbox keeps them 30 days. */
export const refreshTokenLifetimeMs = 30 * 24 * 60 * 60 * 1000;

const maxEntries = 5000;

/** A random opaque value: 1up's legacy codes and tokens are 32 hex characters. */
export function randomHex(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

function boundedMap<V>(): Map<string, V> & { put(key: string, value: V): void } {
  const map = new Map<string, V>() as Map<string, V> & { put(key: string, value: V): void };
  map.put = (key, value) => {
    map.set(key, value);
    for (const oldest of map.keys()) {
      if (map.size <= maxEntries) break;
      map.delete(oldest);
    }
  };
  return map;
}

export interface PatientAccessStore {
  pending: Map<string, PendingAuthorization> & { put(key: string, value: PendingAuthorization): void };
  codes: Map<string, AuthorizationCode> & { put(key: string, value: AuthorizationCode): void };
  accessTokens: Map<string, TokenGrant> & { put(key: string, value: TokenGrant): void };
  refreshTokens: Map<string, TokenGrant> & { put(key: string, value: TokenGrant): void };
  /** Revokes every access and refresh token issued from `code`. */
  revokeCode(code: string): void;
}

export function createPatientAccessStore(): PatientAccessStore {
  const store = {
    pending: boundedMap<PendingAuthorization>(),
    codes: boundedMap<AuthorizationCode>(),
    accessTokens: boundedMap<TokenGrant>(),
    refreshTokens: boundedMap<TokenGrant>(),
    revokeCode(code: string) {
      for (const grant of store.accessTokens.values()) if (grant.code === code) grant.revoked = true;
      for (const grant of store.refreshTokens.values()) if (grant.code === code) grant.revoked = true;
    },
  };
  return store;
}
