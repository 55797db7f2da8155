import 'server-only';
import { randomBytes } from 'node:crypto';

import type { SandboxState } from '../shared/state';

/**
 * Server-side state of the demo plan's authorization server: pending sign-ins, authorization codes, access
 * and refresh tokens. It lives in the sandbox's state store (shared by instances on Redis); each record also
 * expires by the injected clock, which the handlers check.
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
}

/** What an access or refresh token stands for. */
export interface TokenGrant {
  clientId: string;
  memberIndex: number;
  scopes: string[];
  /** The code the grant came from: a replayed code revokes everything issued from it (RFC 6749 §4.1.2). */
  code: string;
  expiresAtMs: number;
}

/** Sign-in pages stay usable this long. */
export const pendingAuthorizationLifetimeMs = 30 * 60 * 1000;
/** 1up: "The auth code expires in 5 minutes." */
export const authorizationCodeLifetimeMs = 5 * 60 * 1000;
/** The legacy 1up token response's `expires_in`. */
export const patientAccessTokenLifetimeSeconds = 7199;
/** Refresh tokens are not documented to expire; the sandbox keeps them 30 days. */
export const refreshTokenLifetimeMs = 30 * 24 * 60 * 60 * 1000;

/** How long a code (and the mark that it was redeemed) is kept: past its 5 minutes, so a late replay is still seen. */
const codeRecordLifetimeMs = 10 * 60 * 1000;

/** A random opaque value: 1up's legacy codes and tokens are 32 hex characters. */
export function randomHex(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * The demo plan's tables in the state store: `pending:<id>` (30 min), `code:<code>` and `code-used:<code>` (10 min),
 * `access:<token>` (its 7199 s), `refresh:<token>` (30 days), and `revoked-code:<code>` (30 days), the mark that
 * revokes every token issued from a replayed code without listing them.
 */
export interface PatientAccessStore {
  savePending(pending: PendingAuthorization): Promise<void>;
  getPending(id: string): Promise<PendingAuthorization | undefined>;
  /** Reads and removes a pending sign-in: one consent answer per sign-in, whichever instance receives it. */
  takePending(id: string): Promise<PendingAuthorization | undefined>;
  saveCode(code: AuthorizationCode): Promise<void>;
  getCode(code: string): Promise<AuthorizationCode | undefined>;
  /** Marks a code redeemed; false when it already was, by this instance or another, even at the same moment. */
  redeemCode(code: string): Promise<boolean>;
  saveAccessToken(token: string, grant: TokenGrant): Promise<void>;
  /** The grant of an access token, or undefined when unknown or revoked. */
  getAccessToken(token: string): Promise<TokenGrant | undefined>;
  saveRefreshToken(token: string, grant: TokenGrant): Promise<void>;
  /** The grant of a refresh token, or undefined when unknown or revoked. */
  getRefreshToken(token: string): Promise<TokenGrant | undefined>;
  /** Revokes every access and refresh token issued from `code`. */
  revokeCode(code: string): Promise<void>;
}

export function createPatientAccessStore(state: SandboxState): PatientAccessStore {
  const live = async (grant: TokenGrant | undefined) =>
    grant && !(await state.get<true>(`revoked-code:${grant.code}`)) ? grant : undefined;
  return {
    savePending: (pending) => state.set(`pending:${pending.id}`, pending, pendingAuthorizationLifetimeMs),
    getPending: (id) => state.get(`pending:${id}`),
    takePending: (id) => state.take(`pending:${id}`),
    saveCode: (code) => state.set(`code:${code.code}`, code, codeRecordLifetimeMs),
    getCode: (code) => state.get(`code:${code}`),
    redeemCode: (code) => state.setIfAbsent(`code-used:${code}`, true, codeRecordLifetimeMs),
    saveAccessToken: (token, grant) => state.set(`access:${token}`, grant, patientAccessTokenLifetimeSeconds * 1000),
    getAccessToken: async (token) => live(await state.get<TokenGrant>(`access:${token}`)),
    saveRefreshToken: (token, grant) => state.set(`refresh:${token}`, grant, refreshTokenLifetimeMs),
    getRefreshToken: async (token) => live(await state.get<TokenGrant>(`refresh:${token}`)),
    revokeCode: (code) => state.set(`revoked-code:${code}`, true, refreshTokenLifetimeMs),
  };
}
