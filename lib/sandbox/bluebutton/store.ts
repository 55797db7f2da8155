import 'server-only';
import type { SandboxState } from '../shared/state';
import type { SyntheticUser } from './users';

/**
 * The emulator's memory: authorizations in progress, codes, tokens and data-access grants, kept in the sandbox's
 * {@link SandboxState} so that every console instance sees the same ones. Everything is keyed by random values the
 * sandbox generated, never by anything a caller chose (the grant's client and patient ids are checked first).
 *
 * Tables (key → value, lifetime):
 * - `pending:<id>` → {@link PendingAuthorization}, the login and consent session (30 minutes)
 * - `code:<code>` → {@link AuthorizationCode} (10 minutes); `code-used:<code>` marks it redeemed, for as long
 * - `access:<token>` → {@link AccessTokenRecord}, its lifetime plus an hour (so a late call hears "expired")
 * - `refresh:<token>` → {@link RefreshTokenRecord}, as long as the data-access grant it was issued under
 * - `grant:<client> <patient>` → {@link DataAccessGrant}, its 13 months
 * - `family-revoked:<code>` marks every token descended from a code as revoked; `app-patient:<client> <patient>`
 *   is the set of those families, so one app's tokens for one beneficiary can be revoked without a scan.
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

/** How long the store keeps each kind of record (garbage collection; the handlers still check each expiry). */
export interface StoreLifetimes {
  pendingMs: number;
  codeMs: number;
  /** The access token's own lifetime; it is kept an hour longer. */
  accessTokenMs: number;
  /** The longest a data-access grant lasts, from now. */
  grantMs(nowMs: number): number;
}

// An access token an hour past expiry is forgotten: a later call gets "invalid" rather than "expired".
const expiredAccessTokenKeptMs = 3_600_000;

/** The key of the data-access grant of one app for one beneficiary. */
export function grantKey(clientId: string, patientId: string): string {
  return `${clientId} ${patientId}`;
}

/** The sandbox's tables on `state` (already scoped to the sandbox). */
export function createStore(state: SandboxState, lifetimes: StoreLifetimes) {
  const familyRevoked = async (family: string) => (await state.get<true>(`family-revoked:${family}`)) === true;

  /** Revokes every token descending from one authorization code, on every instance. */
  async function revokeFamily(family: string, nowMs: number): Promise<void> {
    // A marker rather than a scan: tokens issued from the code later (a racing exchange) are revoked too.
    const ttl = Math.max(lifetimes.grantMs(nowMs), lifetimes.accessTokenMs + expiredAccessTokenKeptMs);
    await state.set(`family-revoked:${family}`, true, ttl);
  }

  return {
    async putPending(pending: PendingAuthorization): Promise<void> {
      await state.set(`pending:${pending.id}`, pending, lifetimes.pendingMs);
    },
    getPending(id: string): Promise<PendingAuthorization | undefined> {
      return state.get(`pending:${id}`);
    },
    /** Removes the authorization, answering it only to the one request that removed it. */
    takePending(id: string): Promise<PendingAuthorization | undefined> {
      return state.take(`pending:${id}`);
    },

    async putCode(code: AuthorizationCode): Promise<void> {
      await state.set(`code:${code.code}`, code, lifetimes.codeMs);
    },
    getCode(code: string): Promise<AuthorizationCode | undefined> {
      return state.get(`code:${code}`);
    },
    async isCodeUsed(code: string): Promise<boolean> {
      return (await state.get<true>(`code-used:${code}`)) === true;
    },
    /** Marks the code redeemed; true for the one request, on any instance, that did it first. */
    markCodeUsed(code: string): Promise<boolean> {
      return state.setIfAbsent(`code-used:${code}`, true, lifetimes.codeMs);
    },

    /** Indexes a new family (a redeemed code) under its app and beneficiary, for {@link revokeAppPatientTokens}. */
    async addFamily(clientId: string, patientId: string, family: string, nowMs: number): Promise<void> {
      await state.addToSet(`app-patient:${grantKey(clientId, patientId)}`, family, lifetimes.grantMs(nowMs));
    },
    /** Stores a new token pair; the refresh token lasts as long as the grant it was issued under. */
    async putTokens(access: AccessTokenRecord, refresh: RefreshTokenRecord, grant: DataAccessGrant, nowMs: number): Promise<void> {
      await Promise.all([
        state.set(`access:${access.token}`, access, lifetimes.accessTokenMs + expiredAccessTokenKeptMs),
        state.set(`refresh:${refresh.token}`, refresh, grant.expiresAt - nowMs),
      ]);
    },
    /** A live or recently expired access token; undefined once revoked (alone or with its family). */
    async getAccessToken(token: string, nowMs: number): Promise<AccessTokenRecord | undefined> {
      const record = await state.get<AccessTokenRecord>(`access:${token}`);
      if (!record || record.expiresAt + expiredAccessTokenKeptMs <= nowMs || (await familyRevoked(record.family))) return undefined;
      return record;
    },
    async getRefreshToken(token: string): Promise<RefreshTokenRecord | undefined> {
      const record = await state.get<RefreshTokenRecord>(`refresh:${token}`);
      return record && !(await familyRevoked(record.family)) ? record : undefined;
    },
    /** Revokes an access token only: its refresh token still works (django-oauth-toolkit's `AccessToken.revoke`). */
    async revokeAccessToken(token: string): Promise<void> {
      await state.delete(`access:${token}`);
    },
    /**
     * Revokes a refresh token and its access token (django-oauth-toolkit's `RefreshToken.revoke`); true for the one
     * request that revoked it, so a rotation happens once whichever instance is asked twice.
     */
    async revokeRefreshToken(token: string): Promise<boolean> {
      const record = await state.take<RefreshTokenRecord>(`refresh:${token}`);
      if (record) await state.delete(`access:${record.accessToken}`);
      return record !== undefined;
    },
    revokeFamily,
    /** Revokes every token of one app for one beneficiary (`remove_application_user_pair_tokens_data_access`). */
    async revokeAppPatientTokens(clientId: string, patientId: string, nowMs: number): Promise<void> {
      const key = `app-patient:${grantKey(clientId, patientId)}`;
      const families = await state.setMembers<string>(key);
      await Promise.all(families.map((family) => revokeFamily(family, nowMs)));
      await state.delete(key);
    },

    async putGrant(grant: DataAccessGrant, nowMs: number): Promise<void> {
      await state.set(`grant:${grantKey(grant.clientId, grant.patientId)}`, grant, grant.expiresAt - nowMs);
    },
    getGrant(clientId: string, patientId: string): Promise<DataAccessGrant | undefined> {
      return state.get(`grant:${grantKey(clientId, patientId)}`);
    },
    /** Deletes the grant; undefined when there was none. */
    takeGrant(clientId: string, patientId: string): Promise<DataAccessGrant | undefined> {
      return state.take(`grant:${grantKey(clientId, patientId)}`);
    },
  };
}

/** All of one sandbox's state, shared by every instance on the same store. */
export type BlueButtonStore = ReturnType<typeof createStore>;
