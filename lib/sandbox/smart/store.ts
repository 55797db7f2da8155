import 'server-only';
import type { SandboxState } from '../shared/state';
/**
 * The emulator's memory: authorizations in progress, codes, refresh tokens and the grants ("families") they
 * descend from. Everything is keyed by random values the sandbox generated, never by anything a caller chose.
 * It lives in the sandbox's {@link SandboxState} (in memory, or on the Redis every console instance shares), so any
 * instance answers any step of a flow. Records are copies: a change is kept only when written again.
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

/**
 * An authorization request pushed to the PAR endpoint (RFC 9126), already checked, waiting for its request_uri.
 * Single use (RFC 9126 §4): its use is a separate marker ({@link SmartStore.claimPushed}), and the record is kept
 * after use, like an expired one, so a second use can be told apart from an unknown one.
 */
export interface PushedAuthorizationRequest extends AuthorizationRequestFields {
  requestUri: string;
  lifetimeSeconds: number;
  expiresAt: number;
  /** Stored already expired under `X-Console-Simulate: par_expired_request_uri`. */
  simulatedExpiry: boolean;
}

/**
 * An authorization code: single use, short-lived, bound to its client, redirect URI and PKCE challenge. Its use is a
 * separate marker ({@link SmartStore.claimCode}); the record is kept until it expires, so a replay can be detected
 * and its tokens revoked.
 */
export interface AuthorizationCode extends Grant {
  code: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
  /** RFC 9449 §10: from the authorize request's `dpop_jkt`. */
  dpopJkt?: string;
}

/**
 * A refresh token: single use (rotated on every refresh; {@link SmartStore.claimRefreshToken}), one of a family that
 * started at one code. A used one is kept, so that presenting it again revokes the family.
 */
export interface RefreshTokenRecord extends Grant {
  token: string;
  family: string;
  /** The DPoP key the grant is bound to: a refresh must prove possession of it (RFC 9449 §5). */
  jkt?: string;
}

/** How long the sign-in page stays usable. */
export const pendingLifetimeMs = 10 * 60_000;
/** How long a code and its used marker are kept: longer than any code lives, so a replay is recognised. */
export const codeMemoryMs = 10 * 60_000;
/** How long an expired or used request_uri is remembered, so the authorize endpoint can say which it was. */
export const pushedRequestMemoryMs = 10 * 60_000;
/**
 * How long a refresh token (used or not), its family index and a revoked family's marker are kept. Refresh tokens
 * have no expiry of their own here, as in most servers; this only bounds how long a demo grant is remembered.
 */
export const refreshTokenLifetimeMs = 30 * 24 * 60 * 60_000;

/** The sandbox's tables, on its state store; every method is one or two state operations. */
export interface SmartStore {
  putPending(pending: PendingAuthorization): Promise<void>;
  getPending(id: string): Promise<PendingAuthorization | undefined>;
  /** Removes and answers the pending authorization: only one decision (or one instance) completes a sign-in. */
  takePending(id: string): Promise<PendingAuthorization | undefined>;

  putPushed(record: PushedAuthorizationRequest): Promise<void>;
  getPushed(requestUri: string): Promise<PushedAuthorizationRequest | undefined>;
  pushedUsed(requestUri: string): Promise<boolean>;
  /** Marks the request_uri used; true for the one request (on any instance) that used it first. */
  claimPushed(record: PushedAuthorizationRequest): Promise<boolean>;

  putCode(record: AuthorizationCode): Promise<void>;
  getCode(code: string): Promise<AuthorizationCode | undefined>;
  codeUsed(code: string): Promise<boolean>;
  /** Marks the code used; true for the one exchange (on any instance) that redeemed it first. */
  claimCode(code: string): Promise<boolean>;

  /** Stores a refresh token and adds it to its family's index. */
  putRefreshToken(record: RefreshTokenRecord): Promise<void>;
  getRefreshToken(token: string): Promise<RefreshTokenRecord | undefined>;
  refreshTokenUsed(token: string): Promise<boolean>;
  /** Marks the refresh token used; true for the one refresh (on any instance) that rotated it first. */
  claimRefreshToken(token: string): Promise<boolean>;

  /** Remembers the family of a user access token by its `jti`, so revoking the family reaches it. */
  recordAccessToken(jti: string, family: string, expiresAt: number, lifetimeMs: number): Promise<void>;
  /** Whether the access token with this `jti` belongs to a revoked family. */
  isAccessTokenRevoked(jti: string): Promise<boolean>;
  isFamilyRevoked(family: string): Promise<boolean>;
  /**
   * Revokes every refresh token of a family and marks it, so access tokens carrying it are refused.
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.2.2
   */
  revokeFamily(family: string): Promise<void>;
}

/**
 * One key of a table. The id is percent-encoded, so that a `:` in it (a request_uri is a URN) stays part of the id:
 * on Redis the whole id is then hashed, and only the table's name is readable.
 */
export function tableKey(table: string, id: string): string {
  return `${table}:${encodeURIComponent(id)}`;
}

/**
 * The tables on `state` (already scoped to this sandbox). Lifetimes: pending sign-ins 10 min, pushed requests their
 * lifetime + 10 min, codes and their used markers 10 min, access-token families
 * the token's lifetime, refresh tokens and revoked families {@link refreshTokenLifetimeMs}.
 */
export function createStore(state: SandboxState): SmartStore {
  const claim = async (table: string, id: string, ttlMs: number) => state.setIfAbsent(tableKey(table, id), true, ttlMs);
  const marked = async (table: string, id: string) => (await state.get<boolean>(tableKey(table, id))) === true;
  const pushedMemoryMs = (record: PushedAuthorizationRequest) => record.lifetimeSeconds * 1000 + pushedRequestMemoryMs;
  return {
    putPending: (pending) => state.set(tableKey('pending', pending.id), pending, pendingLifetimeMs),
    getPending: (id) => state.get(tableKey('pending', id)),
    takePending: (id) => state.take(tableKey('pending', id)),

    putPushed: (record) => state.set(tableKey('pushed', record.requestUri), record, pushedMemoryMs(record)),
    getPushed: (requestUri) => state.get(tableKey('pushed', requestUri)),
    pushedUsed: (requestUri) => marked('pushed-used', requestUri),
    claimPushed: (record) => claim('pushed-used', record.requestUri, pushedMemoryMs(record)),

    putCode: (record) => state.set(tableKey('codes', record.code), record, codeMemoryMs),
    getCode: (code) => state.get(tableKey('codes', code)),
    codeUsed: (code) => marked('code-used', code),
    claimCode: (code) => claim('code-used', code, codeMemoryMs),

    async putRefreshToken(record) {
      await state.set(tableKey('refresh', record.token), record, refreshTokenLifetimeMs);
      await state.addToSet(tableKey('family', record.family), record.token, refreshTokenLifetimeMs);
    },
    getRefreshToken: (token) => state.get(tableKey('refresh', token)),
    refreshTokenUsed: (token) => marked('refresh-used', token),
    claimRefreshToken: (token) => claim('refresh-used', token, refreshTokenLifetimeMs),

    recordAccessToken: (jti, family, expiresAt, lifetimeMs) => state.set(tableKey('access-family', jti), { family, expiresAt }, lifetimeMs),
    async isAccessTokenRevoked(jti) {
      const record = await state.get<{ family: string }>(tableKey('access-family', jti));
      return record !== undefined && (await marked('revoked-family', record.family));
    },
    isFamilyRevoked: (family) => marked('revoked-family', family),
    async revokeFamily(family) {
      await state.set(tableKey('revoked-family', family), true, refreshTokenLifetimeMs);
      const tokens = await state.setMembers<string>(tableKey('family', family));
      await state.delete(...tokens.map((token) => tableKey('refresh', token)), tableKey('family', family));
    },
  };
}
