import 'server-only';
import type { SyntheticUser } from './users';

/**
 * The emulator's memory: authorizations in progress, codes, tokens and data-access grants. Everything is keyed
 * by random values the sandbox generated, never by anything a caller chose.
 */

/** An authorize request between the login page and the consent page (Blue Button's AuthFlowUuid / Approval). */
export interface PendingAuthorization {
  id: string;
  clientId: string;
  redirectUri: string;
  state: string;
  /** The requested scopes the app may be granted. */
  scopes: string[];
  codeChallenge: string;
  expiresAt: number;
  /** Set once the beneficiary has logged in. */
  user?: SyntheticUser;
}

/** An authorization code and everything the token request is checked against. */
export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  patientId: string;
  expiresAt: number;
  /** Kept after use until it expires, so a replay can be detected and its tokens revoked. */
  used: boolean;
}

/** An opaque access token and what it grants. */
export interface AccessTokenRecord {
  token: string;
  clientId: string;
  patientId: string;
  scopes: string[];
  expiresAt: number;
  /** The code every token of one authorization descends from, through any number of refreshes. */
  family: string;
  refreshToken: string;
}

/** A single-use refresh token and the access token issued with it. */
export interface RefreshTokenRecord {
  token: string;
  clientId: string;
  patientId: string;
  scopes: string[];
  accessToken: string;
  family: string;
}

/** Blue Button's DataAccessGrant: the beneficiary's consent for one app, 13 months long. */
export interface DataAccessGrant {
  clientId: string;
  patientId: string;
  expiresAt: number;
}

/** All of one sandbox instance’s state. */
export interface BlueButtonStore {
  pending: Map<string, PendingAuthorization>;
  codes: Map<string, AuthorizationCode>;
  accessTokens: Map<string, AccessTokenRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  grants: Map<string, DataAccessGrant>;
}

/** An empty store. */
export function createStore(): BlueButtonStore {
  return { pending: new Map(), codes: new Map(), accessTokens: new Map(), refreshTokens: new Map(), grants: new Map() };
}

/** The key of the data-access grant of one app for one beneficiary. */
export function grantKey(clientId: string, patientId: string): string {
  return `${clientId} ${patientId}`;
}

/** Revokes an access token only: its refresh token still works (django-oauth-toolkit's `AccessToken.revoke`). */
export function revokeAccessToken(store: BlueButtonStore, token: string): void {
  store.accessTokens.delete(token);
}

/** Revokes a refresh token and its access token (django-oauth-toolkit's `RefreshToken.revoke`). */
export function revokeRefreshToken(store: BlueButtonStore, token: string): void {
  const record = store.refreshTokens.get(token);
  store.refreshTokens.delete(token);
  if (record) store.accessTokens.delete(record.accessToken);
}

/** Revokes every token descending from one authorization code. */
export function revokeFamily(store: BlueButtonStore, family: string): void {
  for (const [token, record] of store.accessTokens) if (record.family === family) store.accessTokens.delete(token);
  for (const [token, record] of store.refreshTokens) if (record.family === family) store.refreshTokens.delete(token);
}

/** Revokes every token of one app for one beneficiary (`remove_application_user_pair_tokens_data_access`). */
export function revokeAppPatientTokens(store: BlueButtonStore, clientId: string, patientId: string): void {
  const matches = (record: { clientId: string; patientId: string }) => record.clientId === clientId && record.patientId === patientId;
  for (const [token, record] of store.accessTokens) if (matches(record)) store.accessTokens.delete(token);
  for (const [token, record] of store.refreshTokens) if (matches(record)) store.refreshTokens.delete(token);
}

/**
 * Forgets what can no longer be used: expired authorizations and codes, and access tokens an hour past expiry
 * (kept that long so a late call still gets "expired" rather than "invalid"). Refresh tokens live as long as
 * their grant, as at Blue Button.
 */
export function pruneStore(store: BlueButtonStore, nowMs: number): void {
  for (const [id, pending] of store.pending) if (pending.expiresAt <= nowMs) store.pending.delete(id);
  for (const [code, record] of store.codes) if (record.expiresAt <= nowMs) store.codes.delete(code);
  for (const [token, record] of store.accessTokens) if (record.expiresAt + 3_600_000 <= nowMs) store.accessTokens.delete(token);
}
