import 'server-only';
import { HttpError } from '@/lib/http/errors';
import { fingerprint } from '@/lib/http/redact';
import type { StoredToken } from '@/lib/session/vault';
import type { ResolvedFlow } from './flow';
import { callTokenEndpoint, type TokenEndpointContext } from './token-endpoint';
import { prepareTokenRequest } from './client-authentication';
import { recipeDeviations } from './token-request';

export interface RefreshOptions {
  /** Ask for these scopes (RFC 6749 §6: at most the ones granted); the grant's scopes when absent. */
  scope?: string;
}

const IN_FLIGHT = Symbol.for('console.oauth.refreshInFlight');
type InFlight = Map<string, Promise<StoredToken>>;

/**
 * Refreshes the session's token for a provider (RFC 6749 §6), keeping the provider's client authentication.
 * Single-flight per session and provider: parallel callers share one refresh, so a rotating provider never sees
 * its refresh token twice (SECURITY.md rule 8). The rotated token is stored before anyone is answered; an
 * `invalid_grant` drops the tokens and answers `reauth_required`, with no retry.
 */
export function refreshSessionToken(ctx: TokenEndpointContext, stored: StoredToken, flow: ResolvedFlow, options: RefreshOptions = {}): Promise<StoredToken> {
  const g = globalThis as typeof globalThis & { [IN_FLIGHT]?: InFlight };
  const inFlight = (g[IN_FLIGHT] ??= new Map());
  const key = `${ctx.sid}:${stored.providerId}`;
  const running = inFlight.get(key);
  if (running) return running;
  const refresh = refreshUnderLock(ctx, stored, flow, options).finally(() => inFlight.delete(key));
  inFlight.set(key, refresh);
  return refresh;
}

/** Longer than any token call (15 s timeout), so a live holder never loses its lock. */
const REFRESH_LOCK_TTL_MS = 20_000;
const LOCK_WAIT_MS = 20_000;
const LOCK_POLL_MS = 50;

/**
 * Single-flight across instances sharing a Redis vault: one holds the session's refresh lock; the others wait,
 * then use the token it stored instead of sending the refresh token it already spent.
 */
async function refreshUnderLock(ctx: TokenEndpointContext, stored: StoredToken, flow: ResolvedFlow, options: RefreshOptions): Promise<StoredToken> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const lock = await ctx.vault.lockRefresh(ctx.sid, stored.providerId, REFRESH_LOCK_TTL_MS);
    if (lock) {
      try {
        const current = await ctx.vault.getToken(ctx.sid, stored.providerId);
        if (!current) {
          throw new HttpError(409, 'reauth_required', 'This token ended while it was being refreshed elsewhere.', {
            hint: 'Get a new token.',
          });
        }
        if (current.issuedAt > stored.issuedAt) return current;
        return await runRefresh(ctx, current, flow, options);
      } finally {
        await lock.release();
      }
    }
    if (Date.now() > deadline) {
      throw new HttpError(409, 'reauth_required', 'Another console instance has been refreshing this token for too long.', {
        hint: 'Try again in a moment.',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

async function runRefresh(ctx: TokenEndpointContext, stored: StoredToken, flow: ResolvedFlow, options: RefreshOptions): Promise<StoredToken> {
  const used = stored.refreshToken;
  if (!used) {
    throw new HttpError(409, 'reauth_required', 'This token came without a refresh token.', {
      hint: flow.grant.grantType === 'client_credentials' ? 'Client-credentials tokens are renewed by getting a new token.' : 'Authorize again for a new token.',
    });
  }
  try {
    const prepared = await prepareTokenRequest(flow, { grant_type: 'refresh_token', refresh_token: used, ...(options.scope ? { scope: options.scope } : {}) });
    const { token } = await callTokenEndpoint(ctx, flow, prepared.request, {
      secrets: [...prepared.secrets, used],
      clientAssertion: prepared.clientAssertion,
      requestDeviations: recipeDeviations(flow.grant, flow.provider.knownDeviations),
      requestGrant: 'refresh_token',
      previous: stored,
    });
    const rotated = token.refreshToken !== undefined && token.refreshToken !== used;
    const refreshed: StoredToken = {
      ...token,
      refreshHistory: [
        ...stored.refreshHistory,
        { at: token.issuedAt, usedFingerprint: fingerprint(used).hmacPrefix, newFingerprint: rotated ? fingerprint(token.refreshToken!).hmacPrefix : null },
      ],
    };
    await ctx.vault.putToken(ctx.sid, refreshed);
    return refreshed;
  } catch (error) {
    if (error instanceof HttpError && error.code === 'reauth_required') {
      // SECURITY.md rule 8: drop the tokens; keep only their secret-free history for the page.
      await ctx.vault.deleteToken(ctx.sid, stored.providerId);
      await ctx.vault.putEndedToken(ctx.sid, {
        providerId: stored.providerId,
        environmentId: stored.environmentId,
        presetId: stored.credential.presetId,
        credentialLabel: stored.credential.label,
        issuedAt: stored.issuedAt,
        reuses: stored.reuses,
        refreshHistory: stored.refreshHistory,
        endedAt: (ctx.now ?? Date.now)(),
        reason: error.message,
      });
    }
    throw error;
  }
}
