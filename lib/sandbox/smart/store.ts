import 'server-only';
/**
 * The emulator's memory: authorizations in progress, codes, refresh tokens and the grants ("families") they
 * descend from. Everything is keyed by random values the sandbox generated, never by anything a caller chose.
 */

/** What one user approved for one client: the scopes and the patient and user they apply to. */
export interface Grant {
  clientId: string;
  scopes: string[];
  patientId: string;
  /** The signed-in user's id token `sub`. */
  username: string;
  /** OpenID Connect `nonce` from the authorize request, echoed in the id_token. */
  nonce?: string;
}

/** What an authorization request asked for, once checked. */
export interface AuthorizationRequestFields {
  clientId: string;
  redirectUri: string;
  state: string;
  scopes: string[];
  codeChallenge: string;
  nonce?: string;
  /** RFC 9449 §10: the thumbprint of the key the code exchange's DPoP proof must use. */
  dpopJkt?: string;
}

/** An authorize request between the login page and the decision. */
export interface PendingAuthorization extends AuthorizationRequestFields {
  id: string;
  expiresAt: number;
}

/** An authorization request pushed to the PAR endpoint (RFC 9126), already checked, waiting for its request_uri. */
export interface PushedAuthorizationRequest extends AuthorizationRequestFields {
  requestUri: string;
  lifetimeSeconds: number;
  expiresAt: number;
  /** Single use (RFC 9126 §4): kept after use, like expired ones, so a second use can be told apart from an unknown one. */
  used: boolean;
  /** Stored already expired under `X-Console-Simulate: par_expired_request_uri`. */
  simulatedExpiry: boolean;
}

/** An authorization code: single use, short-lived, bound to its client, redirect URI and PKCE challenge. */
export interface AuthorizationCode extends Grant {
  code: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
  /** Kept after use until it expires, so a replay can be detected and its tokens revoked. */
  used: boolean;
  /** RFC 9449 §10: from the authorize request's `dpop_jkt`. */
  dpopJkt?: string;
}

/** A refresh token: single use (rotated on every refresh), one of a family that started at one code. */
export interface RefreshTokenRecord extends Grant {
  token: string;
  family: string;
  used: boolean;
  /** The DPoP key the grant is bound to: a refresh must prove possession of it (RFC 9449 §5). */
  jkt?: string;
}

export interface SmartStore {
  pending: Map<string, PendingAuthorization>;
  /** Pushed authorization requests by request_uri. */
  pushed: Map<string, PushedAuthorizationRequest>;
  codes: Map<string, AuthorizationCode>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  /** The family of each live user access token, by its `jti`, so revoking a family reaches its access tokens. */
  accessTokenFamilies: Map<string, { family: string; expiresAt: number }>;
  /** Families revoked by a replayed code or refresh token: their access tokens stop working too. */
  revokedFamilies: Set<string>;
}

export function createStore(): SmartStore {
  return { pending: new Map(), pushed: new Map(), codes: new Map(), refreshTokens: new Map(), accessTokenFamilies: new Map(), revokedFamilies: new Set() };
}

/**
 * Revokes every refresh token of a family and marks it, so access tokens carrying it are refused.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.2.2
 */
export function revokeFamily(store: SmartStore, family: string): void {
  store.revokedFamilies.add(family);
  for (const [token, record] of store.refreshTokens) if (record.family === family) store.refreshTokens.delete(token);
}

/** How long an expired or used request_uri is remembered, so the authorize endpoint can say which it was. */
export const pushedRequestMemoryMs = 10 * 60_000;

/** Forgets expired authorizations and codes. Refresh tokens live until used or revoked, as in most servers. */
export function pruneStore(store: SmartStore, nowMs: number): void {
  for (const [id, pending] of store.pending) if (pending.expiresAt <= nowMs) store.pending.delete(id);
  for (const [uri, record] of store.pushed) if (record.expiresAt + pushedRequestMemoryMs <= nowMs) store.pushed.delete(uri);
  for (const [code, record] of store.codes) if (record.expiresAt <= nowMs) store.codes.delete(code);
  for (const [jti, record] of store.accessTokenFamilies) if (record.expiresAt <= nowMs) store.accessTokenFamilies.delete(jti);
}

/** Whether the access token with this `jti` belongs to a revoked family. */
export function isAccessTokenRevoked(store: SmartStore, jti: string): boolean {
  const record = store.accessTokenFamilies.get(jti);
  return record !== undefined && store.revokedFamilies.has(record.family);
}
