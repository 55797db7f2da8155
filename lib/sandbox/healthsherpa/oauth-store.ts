import 'server-only';
import { randomToken } from './random';

/** Doorkeeper's `authorization_code_expires_in` default: codes live 10 minutes. */
export const codeLifetimeSeconds = 600;
/** HealthSherpa's documented `expires_in`. */
export const accessTokenLifetimeSeconds = 3600;
/** How long the login and consent pages of one authorization request stay usable. */
export const pendingLifetimeSeconds = 1800;

// Bounds on what one process keeps, so a page left open or a script cannot grow memory without limit.
const maxPending = 1000;
const maxGrants = 2000;
const maxTokens = 5000;

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
  /** Set when the code is exchanged: a second exchange is refused. */
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

function evictOldest<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}

/** The OAuth server's tables, in memory: pending authorizations, codes and tokens. */
export function createOAuthStore(now: () => number) {
  const pending = new Map<string, PendingAuthorization>();
  const grants = new Map<string, AccessGrant>();
  const byAccessToken = new Map<string, TokenRecord>();
  const byRefreshToken = new Map<string, TokenRecord>();

  function prune(): void {
    const at = now();
    for (const [id, entry] of pending) {
      if (at - entry.createdAtMs >= pendingLifetimeSeconds * 1000) pending.delete(id);
    }
    for (const [code, grant] of grants) {
      if (at >= grant.expiresAtMs) grants.delete(code);
    }
    evictOldest(pending, maxPending);
    evictOldest(grants, maxGrants);
    while (byAccessToken.size > maxTokens) {
      const oldest = byAccessToken.values().next();
      if (oldest.done) break;
      byAccessToken.delete(oldest.value.accessToken);
      byRefreshToken.delete(oldest.value.refreshToken);
    }
  }

  return {
    /** Records a new authorization request under a fresh random id. */
    createPending(fields: Omit<PendingAuthorization, 'id' | 'createdAtMs'>): PendingAuthorization {
      prune();
      const entry: PendingAuthorization = { ...fields, id: randomToken(), createdAtMs: now() };
      pending.set(entry.id, entry);
      return entry;
    },

    getPending(id: string): PendingAuthorization | undefined {
      prune();
      return pending.get(id);
    },

    /** Marks the request as signed in under a new id, so the login page's id cannot approve it. */
    signIn(entry: PendingAuthorization, agentId: string): PendingAuthorization {
      pending.delete(entry.id);
      const signedIn: PendingAuthorization = { ...entry, id: randomToken(), agentId };
      pending.set(signedIn.id, signedIn);
      return signedIn;
    },

    deletePending(id: string): void {
      pending.delete(id);
    },

    issueCode(entry: PendingAuthorization & { agentId: string }): AccessGrant {
      prune();
      const grant: AccessGrant = {
        code: randomToken(),
        clientId: entry.clientId,
        agentId: entry.agentId,
        redirectUri: entry.redirectUri,
        scope: entry.scope,
        codeChallenge: entry.codeChallenge,
        codeChallengeMethod: entry.codeChallengeMethod,
        expiresAtMs: now() + codeLifetimeSeconds * 1000,
        revoked: false,
      };
      grants.set(grant.code, grant);
      return grant;
    },

    /** The grant for a code, expired or used ones included: the caller decides what they mean. */
    getGrant(code: string): AccessGrant | undefined {
      return grants.get(code);
    },

    issueToken(fields: Pick<TokenRecord, 'clientId' | 'agentId' | 'scope' | 'family'>): TokenRecord {
      prune();
      const record: TokenRecord = {
        ...fields,
        accessToken: randomToken(),
        refreshToken: randomToken(),
        createdAtMs: now(),
        expiresInSeconds: accessTokenLifetimeSeconds,
        revoked: false,
      };
      byAccessToken.set(record.accessToken, record);
      byRefreshToken.set(record.refreshToken, record);
      return record;
    },

    getByRefreshToken(refreshToken: string): TokenRecord | undefined {
      return byRefreshToken.get(refreshToken);
    },

    /** Why an access token is refused, or its record (Doorkeeper's unknown / expired / revoked). */
    checkAccessToken(accessToken: string): AccessTokenStatus {
      const record = byAccessToken.get(accessToken);
      if (!record) return { rejection: 'unknown' };
      if (record.revoked) return { rejection: 'revoked' };
      if (now() >= record.createdAtMs + record.expiresInSeconds * 1000) return { rejection: 'expired' };
      return { record };
    },

    /**
     * Revokes every token descended from one code.
     * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 ("SHOULD revoke … all tokens previously issued based on that authorization code")
     */
    revokeFamily(family: string): void {
      for (const record of byAccessToken.values()) {
        if (record.family === family) record.revoked = true;
      }
    },
  };
}

export type OAuthStore = ReturnType<typeof createOAuthStore>;
