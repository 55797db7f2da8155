import 'server-only';
import type { SandboxState } from '../shared/state';
import { randomToken } from './random';

/** Doorkeeper's `authorization_code_expires_in` default: codes live 10 minutes. */
export const codeLifetimeSeconds = 600;
/** HealthSherpa's documented `expires_in`. */
export const accessTokenLifetimeSeconds = 3600;
/** How long the login and consent pages of one authorization request stay usable. */
export const pendingLifetimeSeconds = 1800;

/**
 * How long the sandbox keeps a token pair it issued. Doorkeeper's refresh tokens do not expire; the sandbox forgets
 * a pair 90 days after it was issued (a refresh writes a new pair, so a chain in use lives on).
 */
export const tokenKeptSeconds = 90 * 86_400;

/** An authorization request between the authorize redirect and the agent's decision; its id is in the page. */
export interface PendingAuthorization {
  id: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  createdAtMs: number;
  /** Set once the agent has signed in: the page then shows the consent screen. */
  agentId?: string;
}

/** An authorization code (Doorkeeper's `oauth_access_grants` row). */
export interface AccessGrant {
  code: string;
  clientId: string;
  agentId: string;
  redirectUri: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  expiresAtMs: number;
  /** Whether the code was exchanged (`code-redeemed:`): a second exchange is refused. */
  revoked: boolean;
}

/** An access token with its refresh token (one Doorkeeper `oauth_access_tokens` row holds both). */
export interface TokenRecord {
  accessToken: string;
  refreshToken: string;
  clientId: string;
  agentId: string;
  scope: string;
  createdAtMs: number;
  expiresInSeconds: number;
  revoked: boolean;
  /** The code the chain of tokens started from, so a replayed code can revoke all of them. */
  family: string;
}

export type AccessTokenStatus = { record: TokenRecord } | { rejection: 'unknown' | 'expired' | 'revoked' };

/**
 * The OAuth server's tables, on the sandbox's {@link SandboxState} (shared by every instance on it):
 * - `pending:<id>` → {@link PendingAuthorization} (30 minutes)
 * - `code:<code>` → {@link AccessGrant} (10 minutes); `code-redeemed:<code>` marks it exchanged, for as long
 * - `token:<access token>` → {@link TokenRecord}, and `refresh:<refresh token>` → its access token ({@link tokenKeptSeconds})
 * - `family-revoked:<code>` marks every token descended from a code as revoked (as long as a token is kept)
 */
export function createOAuthStore(state: SandboxState, now: () => number) {
  const pendingMs = pendingLifetimeSeconds * 1000;
  const codeMs = codeLifetimeSeconds * 1000;
  const tokenMs = tokenKeptSeconds * 1000;

  const livePending = (entry: PendingAuthorization | undefined) =>
    entry && now() - entry.createdAtMs < pendingMs ? entry : undefined;
  /** The token row, revoked as well when its family was. */
  const loadToken = async (accessToken: string): Promise<TokenRecord | undefined> => {
    const record = await state.get<TokenRecord>(`token:${accessToken}`);
    if (!record || record.revoked) return record;
    return (await state.get<true>(`family-revoked:${record.family}`)) ? { ...record, revoked: true } : record;
  };

  return {
    /** Records a new authorization request under a fresh random id. */
    async createPending(fields: Omit<PendingAuthorization, 'id' | 'createdAtMs'>): Promise<PendingAuthorization> {
      const entry: PendingAuthorization = { ...fields, id: randomToken(), createdAtMs: now() };
      await state.set(`pending:${entry.id}`, entry, pendingMs);
      return entry;
    },

    async getPending(id: string): Promise<PendingAuthorization | undefined> {
      return livePending(await state.get<PendingAuthorization>(`pending:${id}`));
    },

    /**
     * Marks the request as signed in under a new id, so the login page's id cannot approve it; undefined when
     * another request (on any instance) used the login page's id first.
     */
    async signIn(entry: PendingAuthorization, agentId: string): Promise<PendingAuthorization | undefined> {
      if (!livePending(await state.take<PendingAuthorization>(`pending:${entry.id}`))) return undefined;
      const signedIn: PendingAuthorization = { ...entry, id: randomToken(), agentId };
      await state.set(`pending:${signedIn.id}`, signedIn, pendingMs);
      return signedIn;
    },

    /** Removes the request; it is returned only to the one request that removed it. */
    async takePending(id: string): Promise<PendingAuthorization | undefined> {
      return livePending(await state.take<PendingAuthorization>(`pending:${id}`));
    },

    async issueCode(entry: PendingAuthorization & { agentId: string }): Promise<AccessGrant> {
      const grant: AccessGrant = {
        code: randomToken(),
        clientId: entry.clientId,
        agentId: entry.agentId,
        redirectUri: entry.redirectUri,
        scope: entry.scope,
        codeChallenge: entry.codeChallenge,
        codeChallengeMethod: entry.codeChallengeMethod,
        expiresAtMs: now() + codeMs,
        revoked: false,
      };
      await state.set(`code:${grant.code}`, grant, codeMs);
      return grant;
    },

    /** The grant for a code, expired or used ones included: the caller decides what they mean. */
    async getGrant(code: string): Promise<AccessGrant | undefined> {
      const [grant, redeemed] = await Promise.all([state.get<AccessGrant>(`code:${code}`), state.get<true>(`code-redeemed:${code}`)]);
      return grant && { ...grant, revoked: redeemed === true };
    },

    /** Marks the code exchanged; true for the one request, on any instance, that did it first. */
    redeemCode(code: string): Promise<boolean> {
      return state.setIfAbsent(`code-redeemed:${code}`, true, codeMs);
    },

    async issueToken(fields: Pick<TokenRecord, 'clientId' | 'agentId' | 'scope' | 'family'>): Promise<TokenRecord> {
      const record: TokenRecord = {
        ...fields,
        accessToken: randomToken(),
        refreshToken: randomToken(),
        createdAtMs: now(),
        expiresInSeconds: accessTokenLifetimeSeconds,
        revoked: false,
      };
      await Promise.all([
        state.set(`token:${record.accessToken}`, record, tokenMs),
        state.set(`refresh:${record.refreshToken}`, record.accessToken, tokenMs),
      ]);
      return record;
    },

    async getByRefreshToken(refreshToken: string): Promise<TokenRecord | undefined> {
      const accessToken = await state.get<string>(`refresh:${refreshToken}`);
      return accessToken === undefined ? undefined : loadToken(accessToken);
    },

    /**
     * Revokes a token pair for a refresh (Doorkeeper revokes both at once); false when another request, on any
     * instance, used the refresh token first.
     */
    async revokeForRefresh(record: TokenRecord): Promise<boolean> {
      if ((await state.take<string>(`refresh:${record.refreshToken}`)) === undefined) return false;
      // Kept, revoked, so the old access token answers "revoked" rather than "invalid".
      await state.set(`token:${record.accessToken}`, { ...record, revoked: true }, tokenMs);
      return true;
    },

    /** Why an access token is refused, or its record (Doorkeeper's unknown / expired / revoked). */
    async checkAccessToken(accessToken: string): Promise<AccessTokenStatus> {
      const record = await loadToken(accessToken);
      if (!record) return { rejection: 'unknown' };
      if (record.revoked) return { rejection: 'revoked' };
      if (now() >= record.createdAtMs + record.expiresInSeconds * 1000) return { rejection: 'expired' };
      return { record };
    },

    /**
     * Revokes every token descended from one code, including one a racing exchange issues after this.
     * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 ("SHOULD revoke … all tokens previously issued based on that authorization code")
     */
    async revokeFamily(family: string): Promise<void> {
      await state.set(`family-revoked:${family}`, true, tokenMs);
    },
  };
}

export type OAuthStore = ReturnType<typeof createOAuthStore>;
