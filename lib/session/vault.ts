import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  apiErrorSchema,
  endedTokenDtoSchema,
  exchangeDtoSchema,
  simulatedFailureSchema,
  TIMELINE_MAX_EXCHANGES,
  tokenDeviationSchema,
  tokenRefusalSchema,
  tokenVerificationSchema,
  type ApiError,
  type EndedTokenDto,
  type ExchangeDto,
  type SimulatedFailure,
  type SimulationsDto,
} from '@/lib/contract/schemas';
import { dpopBindingDtoSchema } from '@/lib/contract/dpop';
import { SESSION_TTL_SECONDS } from './cookie';
import type { PasswordMap } from './secret';
import type { VaultStore } from './store';
import { openVaultEntry, sealVaultEntry, unsealVaultEntry } from './vault-seal';

/**
 * The server-side vault: tokens and the exchange history of each session, keyed by session id, every entry
 * sealed (encrypted and authenticated) before it reaches the store, token entries expiring with the token.
 */

export const storedTokenSchema = z.object({
  providerId: z.string(),
  environmentId: z.string(),
  grantType: z.enum(['client_credentials', 'authorization_code']).default('client_credentials'),
  credential: z.object({
    kind: z.enum(['preset', 'custom']),
    presetId: z.string().optional(),
    clientId: z.string(),
    label: z.string(),
    /** Only for custom credentials of a refreshable grant: needed to refresh; sealed like the tokens. */
    clientSecret: z.string().optional(),
    /** Custom credentials: the keyed fingerprint of the secret they were sent with, so a wrong one is never answered with this token. */
    secretFingerprint: z.string().optional(),
  }),
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  /** Each refresh: when, and the fingerprints of the refresh token used and the one that replaced it. */
  refreshHistory: z
    .array(z.object({ at: z.number(), usedFingerprint: z.string(), newFingerprint: z.string().nullable() }))
    .default([]),
  /** The OpenID Connect ID token that came with the access token, decoded and checked (the raw token is not kept). */
  idToken: z
    .object({ header: z.record(z.string(), z.unknown()), claims: z.record(z.string(), z.unknown()), verification: tokenVerificationSchema })
    .optional(),
  /** When the token was reused instead of minting a new one. */
  reuses: z.array(z.number()).default([]),
  /** Non-secret fields of the token response beyond RFC 6749's (patient, access_grant_expiration …). */
  responseFacts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  tokenType: z.string(),
  expiresInRaw: z.unknown(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  scope: z.string().optional(),
  deviations: z.array(tokenDeviationSchema),
  verification: tokenVerificationSchema,
  /** private_key_jwt: the client assertion of the request, decoded; the signed JWT itself is not kept. */
  clientAssertion: z.object({ header: z.record(z.string(), z.unknown()), claims: z.record(z.string(), z.unknown()) }).optional(),
  exchangeId: z.string().optional(),
  refusal: tokenRefusalSchema.optional(),
  /** A DPoP token (RFC 9449): the key it is bound to (the key itself stays in its own vault entry). */
  dpop: dpopBindingDtoSchema.optional(),
});
export type StoredToken = z.infer<typeof storedTokenSchema>;

/** An authorization-code run between the redirect to the provider and its callback. */
export const pendingFlowSchema = z.object({
  providerId: z.string(),
  environmentId: z.string(),
  credential: z.object({
    kind: z.enum(['preset', 'custom']),
    presetId: z.string().optional(),
    clientId: z.string(),
    clientSecret: z.string().optional(),
  }),
  codeVerifier: z.string().optional(),
  /** Where PKCE cannot bind the code: the OpenID Connect nonce the ID token must carry. */
  nonce: z.string().optional(),
  redirectUri: z.string(),
  /** Where the authorization request went: an `iss` in the callback must name it (RFC 9207). */
  issuer: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.number(),
  /** The request went by reference (RFC 9126): when its `request_uri` expires, to explain a refusal of it. */
  pushed: z.object({ expiresAt: z.number().optional(), expiresIn: z.number().optional() }).optional(),
});
export type PendingFlow = z.infer<typeof pendingFlowSchema>;

/**
 * A session's DPoP key for one provider (RFC 9449): the private JWK never leaves the vault; the nonces each server
 * origin last gave (§8.2) are kept with it so the next proof carries them.
 */
export const storedDpopKeySchema = z.object({
  alg: z.string(),
  privateJwk: z.record(z.string(), z.unknown()),
  publicJwk: z.record(z.string(), z.unknown()),
  jkt: z.string(),
  createdAt: z.number(),
  nonces: z.record(z.string(), z.string()).default({}),
});
export type StoredDpopKey = z.infer<typeof storedDpopKeySchema>;

const simulationsSchema = z.object({ failures: z.array(simulatedFailureSchema) });
const sessionHandleSchema = z.object({ sid: z.string() });

const HISTORY_TTL_SECONDS = 12 * 60 * 60;
/** Keep an expired token a little while so the page can show it as expired rather than gone. */
const EXPIRED_TOKEN_GRACE_SECONDS = 10 * 60;
/** A refresh token outlives its access token; without a stated life, keep the entry for the session's. */
const REFRESHABLE_TOKEN_TTL_SECONDS = 12 * 60 * 60;
const PENDING_FLOW_TTL_SECONDS = 10 * 60;
/** Custom providers and keys are kept while used: each change renews them for this long. */
const WORKSPACE_TTL_SECONDS = 90 * 24 * 60 * 60;

/** Opened history entries by their sealed bytes (see `openExchange`); the oldest is forgotten first. */
const openedExchanges = new Map<string, { exchange: ExchangeDto; expiresAt: number }>();
const OPENED_EXCHANGES_MAX = 5_000;

export class SessionVault {
  constructor(
    private readonly store: VaultStore,
    private readonly passwords: PasswordMap,
    private readonly now: () => number = Date.now,
  ) {}

  /** Binds a session cookie's handle to the session it opens, for at most the session's life. */
  async putSessionHandle(handle: string, sid: string, ttlSeconds: number = SESSION_TTL_SECONDS): Promise<void> {
    const key = handleKey(handle);
    await this.store.set(key, this.seal(key, { sid }, ttlSeconds), ttlSeconds);
  }

  /** The session a cookie's handle opens; null once logout or a rotation ended the handle, or when it expired. */
  async openSessionHandle(handle: string): Promise<string | null> {
    const key = handleKey(handle);
    const sealed = await this.store.get(key);
    const parsed = sealed ? sessionHandleSchema.safeParse(this.unseal(key, sealed)) : null;
    return parsed?.success ? parsed.data.sid : null;
  }

  /** Ends a handle: the cookie that carries it opens nothing from now on, on every instance. */
  async endSessionHandle(handle: string): Promise<void> {
    await this.store.delete(handleKey(handle));
  }

  /** Keeps the history of a token the provider ended; a new token for the provider replaces it. */
  async putEndedToken(sid: string, ended: EndedTokenDto): Promise<void> {
    await this.store.set(endedKey(sid, ended.providerId), this.seal(endedKey(sid, ended.providerId), ended, HISTORY_TTL_SECONDS), HISTORY_TTL_SECONDS);
  }

  async getEndedTokens(sid: string, providerIds: readonly string[]): Promise<EndedTokenDto[]> {
    const found = await Promise.all(
      providerIds.map(async (id) => {
        const sealed = await this.store.get(endedKey(sid, id));
        const parsed = sealed ? endedTokenDtoSchema.safeParse(this.unseal(endedKey(sid, id), sealed)) : null;
        return parsed?.success ? parsed.data : null;
      }),
    );
    return found.filter((e): e is EndedTokenDto => e !== null);
  }

  async putToken(sid: string, token: StoredToken): Promise<void> {
    await this.store.delete(endedKey(sid, token.providerId));
    const accessTtl = Math.max(1, Math.ceil((token.expiresAt - this.now()) / 1000)) + EXPIRED_TOKEN_GRACE_SECONDS;
    const ttl = token.refreshToken ? Math.max(accessTtl, REFRESHABLE_TOKEN_TTL_SECONDS) : accessTtl;
    await this.store.set(tokenKey(sid, token.providerId), this.seal(tokenKey(sid, token.providerId), token, ttl), ttl);
  }

  async getToken(sid: string, providerId: string): Promise<StoredToken | null> {
    const sealed = await this.store.get(tokenKey(sid, providerId));
    if (!sealed) return null;
    const data = this.unseal(tokenKey(sid, providerId), sealed);
    const parsed = storedTokenSchema.safeParse(data);
    return parsed.success ? parsed.data : null;
  }

  /** The session's DPoP key for a provider; it lives as long as the session, so refreshes keep the binding. */
  async getDpopKey(sid: string, providerId: string): Promise<StoredDpopKey | null> {
    const key = dpopKeyKey(sid, providerId);
    const sealed = await this.store.get(key);
    const parsed = sealed ? storedDpopKeySchema.safeParse(this.unseal(key, sealed)) : null;
    return parsed?.success ? parsed.data : null;
  }

  async putDpopKey(sid: string, providerId: string, dpopKey: StoredDpopKey): Promise<void> {
    const key = dpopKeyKey(sid, providerId);
    await this.store.set(key, this.seal(key, dpopKey, SESSION_TTL_SECONDS), SESSION_TTL_SECONDS);
  }

  /** Held while one instance refreshes this session's token for a provider, so no other sends the same refresh token. */
  lockRefresh(sid: string, providerId: string, ttlMs: number): Promise<{ release: () => Promise<void> } | null> {
    return this.store.acquireLock(`lock:refresh:${sid}:${providerId}`, ttlMs);
  }

  async deleteToken(sid: string, providerId: string): Promise<void> {
    await this.store.delete(tokenKey(sid, providerId));
  }

  /** Keeps an authorization in progress until its callback, keyed by its state (single use: `takePendingFlow`). */
  async putPendingFlow(sid: string, state: string, flow: PendingFlow): Promise<void> {
    await this.store.set(pendingKey(sid, state), this.seal(pendingKey(sid, state), flow, PENDING_FLOW_TTL_SECONDS), PENDING_FLOW_TTL_SECONDS);
  }

  /** Returns and deletes the pending flow: a replayed state finds nothing (SECURITY.md rule 4). */
  async takePendingFlow(sid: string, state: string): Promise<PendingFlow | null> {
    const sealed = await this.store.take(pendingKey(sid, state));
    if (!sealed) return null;
    const parsed = pendingFlowSchema.safeParse(this.unseal(pendingKey(sid, state), sealed));
    return parsed.success ? parsed.data : null;
  }

  /** The outcome of the last authorization callback that failed, for the page to explain after the redirect. */
  async putFlowError(sid: string, providerId: string, error: ApiError): Promise<void> {
    await this.store.set(flowErrorKey(sid, providerId), this.seal(flowErrorKey(sid, providerId), error, PENDING_FLOW_TTL_SECONDS), PENDING_FLOW_TTL_SECONDS);
  }

  /**
   * The failed callbacks still to explain, per provider. Reading leaves them in place (a second tab or a background
   * refetch sees them too); `dropFlowError` ends one when the user dismisses it or starts a new run, and they expire
   * with the authorization window.
   */
  async listFlowErrors(sid: string, providerIds: readonly string[]): Promise<{ providerId: string; error: ApiError }[]> {
    const found = await Promise.all(
      providerIds.map(async (providerId) => {
        const sealed = await this.store.get(flowErrorKey(sid, providerId));
        if (!sealed) return null;
        const parsed = apiErrorSchema.safeParse(this.unseal(flowErrorKey(sid, providerId), sealed));
        return parsed.success ? { providerId, error: parsed.data } : null;
      }),
    );
    return found.filter((f): f is { providerId: string; error: ApiError } => f !== null);
  }

  async dropFlowError(sid: string, providerId: string): Promise<void> {
    await this.store.delete(flowErrorKey(sid, providerId));
  }

  async getTokens(sid: string, providerIds: readonly string[]): Promise<StoredToken[]> {
    const tokens = await Promise.all(providerIds.map((id) => this.getToken(sid, id)));
    return tokens.filter((t): t is StoredToken => t !== null);
  }

  async recordExchange(sid: string, exchange: ExchangeDto): Promise<void> {
    await this.store.append(historyKey(sid), this.seal(historyKey(sid), exchange, HISTORY_TTL_SECONDS), {
      maxLength: TIMELINE_MAX_EXCHANGES,
      ttlSeconds: HISTORY_TTL_SECONDS,
    });
  }

  async listExchanges(sid: string): Promise<ExchangeDto[]> {
    const key = historyKey(sid);
    const sealed = await this.store.list(key);
    return sealed.flatMap((entry) => {
      const exchange = this.openExchange(key, entry);
      return exchange ? [exchange] : [];
    });
  }

  /**
   * One recorded exchange, opened and parsed once per process: the page reads the whole history with every token and
   * session answer, and an entry never changes once written. The cache is keyed by the store key and the seal's IV and
   * GCM tag (a random IV per seal; the tag authenticates the ciphertext), so it holds for any instance that wrote the
   * entry and only ever answers with what was authenticated under that key; the entry's expiry still applies, and what
   * it holds is the redacted DTO, never a secret.
   */
  private openExchange(storeKey: string, sealed: string): ExchangeDto | null {
    const [, , iv, tag] = sealed.split('.', 4);
    const cacheKey = `${storeKey} ${iv}.${tag}`;
    const cached = openedExchanges.get(cacheKey);
    if (cached && cached.expiresAt > this.now()) return cached.exchange;
    const opened = openVaultEntry(storeKey, sealed, this.passwords, this.now());
    const parsed = opened ? exchangeDtoSchema.safeParse(opened.value) : null;
    if (!opened || !parsed?.success) return null;
    if (openedExchanges.size >= OPENED_EXCHANGES_MAX) openedExchanges.delete(openedExchanges.keys().next().value!);
    openedExchanges.set(cacheKey, { exchange: parsed.data, expiresAt: opened.expiresAt });
    return parsed.data;
  }

  /** The failures this session asked the provider's built-in sandbox to simulate; none when never set. */
  async getSimulations(sid: string, providerId: string): Promise<SimulatedFailure[]> {
    const sealed = await this.store.get(simulationsKey(sid, providerId));
    if (!sealed) return [];
    const parsed = simulationsSchema.safeParse(this.unseal(simulationsKey(sid, providerId), sealed));
    return parsed.success ? parsed.data.failures : [];
  }

  /** Replaces the session's simulated failures for a provider; an empty list switches them all off. */
  async setSimulations(sid: string, providerId: string, failures: readonly SimulatedFailure[]): Promise<SimulatedFailure[]> {
    const key = simulationsKey(sid, providerId);
    // One order whatever the caller's, so the header and the DTO read the same each time.
    const unique = simulatedFailureSchema.options.filter((f) => failures.includes(f));
    if (unique.length === 0) {
      await this.store.delete(key);
      return [];
    }
    await this.store.set(key, this.seal(key, { failures: unique }, SESSION_TTL_SECONDS), SESSION_TTL_SECONDS);
    return unique;
  }

  /** The providers with simulated failures switched on in this session. */
  async listSimulations(sid: string, providerIds: readonly string[]): Promise<SimulationsDto[]> {
    const all = await Promise.all(providerIds.map(async (providerId) => ({ providerId, failures: await this.getSimulations(sid, providerId) })));
    return all.filter((s) => s.failures.length > 0);
  }

  /**
   * A user's workspace (custom providers and client keys, issue #8): keyed by the user, not the session, so it
   * outlives sign-outs; sealed like everything else. `read` returns null when there is none (or it does not open).
   */
  async getWorkspace<T>(owner: string, schema: z.ZodType<T>): Promise<T | null> {
    const key = workspaceKey(owner);
    const sealed = await this.store.get(key);
    if (!sealed) return null;
    const parsed = schema.safeParse(this.unseal(key, sealed));
    return parsed.success ? parsed.data : null;
  }

  async putWorkspace(owner: string, workspace: unknown): Promise<void> {
    const key = workspaceKey(owner);
    await this.store.set(key, this.seal(key, workspace, WORKSPACE_TTL_SECONDS), WORKSPACE_TTL_SECONDS);
  }

  /** Held while a workspace is read, changed and written back, so two tabs (or instances) don't lose a change. */
  lockWorkspace(owner: string, ttlMs: number): Promise<{ release: () => Promise<void> } | null> {
    return this.store.acquireLock(`lock:workspace:${owner}`, ttlMs);
  }

  /** The public JWKS a workspace publishes at its console URL; public data, sealed only because every entry is. */
  async getPublishedJwks(jwksId: string): Promise<unknown> {
    const key = jwksKey(jwksId);
    const sealed = await this.store.get(key);
    return sealed ? this.unseal(key, sealed) : null;
  }

  async putPublishedJwks(jwksId: string, jwks: unknown): Promise<void> {
    const key = jwksKey(jwksId);
    await this.store.set(key, this.seal(key, jwks, WORKSPACE_TTL_SECONDS), WORKSPACE_TTL_SECONDS);
  }

  /** Forgets everything of the session: logout (ASVS 7.4.1). */
  async clear(sid: string, providerIds: readonly string[]): Promise<void> {
    await this.store.delete(
      historyKey(sid),
      ...providerIds.flatMap((id) => [tokenKey(sid, id), flowErrorKey(sid, id), simulationsKey(sid, id), endedKey(sid, id), dpopKeyKey(sid, id)]),
    );
  }

  /** Sealed for `storeKey` only: the same bytes under another key do not open. */
  private seal(storeKey: string, value: unknown, ttlSeconds: number): string {
    return sealVaultEntry(storeKey, value, this.passwords, this.now() + ttlSeconds * 1000);
  }

  private unseal(storeKey: string, sealed: string): unknown {
    return unsealVaultEntry(storeKey, sealed, this.passwords, this.now());
  }
}

/** Keyed by a hash: the store (a Redis operator) never sees a handle it could put in a cookie. */
function handleKey(handle: string): string {
  return `handle:${createHash('sha256').update(handle).digest('base64url')}`;
}

function tokenKey(sid: string, providerId: string): string {
  return `vault:${sid}:token:${providerId}`;
}

function endedKey(sid: string, providerId: string): string {
  return `vault:${sid}:ended:${providerId}`;
}

function dpopKeyKey(sid: string, providerId: string): string {
  return `vault:${sid}:dpop-key:${providerId}`;
}

function pendingKey(sid: string, state: string): string {
  return `vault:${sid}:pending:${state}`;
}

function flowErrorKey(sid: string, providerId: string): string {
  return `vault:${sid}:flow-error:${providerId}`;
}

function simulationsKey(sid: string, providerId: string): string {
  return `vault:${sid}:simulations:${providerId}`;
}

function historyKey(sid: string): string {
  return `vault:${sid}:history`;
}

function workspaceKey(owner: string): string {
  return `workspace:${owner}`;
}

function jwksKey(jwksId: string): string {
  return `jwks:${jwksId}`;
}
