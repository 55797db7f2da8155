import 'server-only';
import type { JSONWebKeySet } from 'jose';
import type { ExchangeDto, TokenRequest } from '@/lib/api-client/schemas';
import { HttpError } from '@/lib/http/errors';
import { sendOutbound } from '@/lib/http/outbound';
import { redactText } from '@/lib/http/redact';
import { verifyAccessToken, type JwksSource } from '@/lib/jwt/verify';
import type { ResolvedEnvironment } from '@/lib/providers/resolve';
import type { SessionVault, StoredToken } from '@/lib/session/vault';
import { buildClientCredentialsRequest, recipeDeviations, type ClientCredentials } from './client-credentials';
import { explainTokenError } from './token-errors';
import { parseTokenResponse } from './token-response';

/** A live token is reused only while it has at least this long to live. */
const REUSE_MIN_REMAINING_MS = 60_000;
const TOKEN_TIMEOUT_MS = 15_000;
const JWKS_CACHE_MS = 5 * 60_000;

export interface TokenServiceContext {
  vault: SessionVault;
  sid: string;
  now?: () => number;
}

export interface TokenOutcome {
  token: StoredToken;
  reused?: { reason: string };
}

interface ResolvedCredential {
  kind: 'preset' | 'custom';
  presetId?: string;
  label: string;
  credentials: ClientCredentials;
}

/**
 * Gets a client-credentials token for the session: reuses a live one when the provider asks for reuse,
 * otherwise runs the exchange exactly as the provider's recipe says, verifies the result, stores it in the
 * vault and records every exchange. Failures throw HttpError with the provider's answer explained.
 */
export async function getClientCredentialsToken(
  ctx: TokenServiceContext,
  env: ResolvedEnvironment,
  request: Pick<TokenRequest, 'credential' | 'forceNew'>,
): Promise<TokenOutcome> {
  const now = ctx.now ?? Date.now;
  const { provider, environment } = env;
  const credential = resolveCredential(env, request.credential);

  if (provider.tokenReuse.reuseLiveToken && !request.forceNew) {
    const live = await ctx.vault.getToken(ctx.sid, provider.id);
    if (
      live &&
      live.environmentId === environment.id &&
      live.credential.clientId === credential.credentials.clientId &&
      live.expiresAt - now() > REUSE_MIN_REMAINING_MS
    ) {
      const minutes = Math.floor((live.expiresAt - now()) / 60_000);
      return { token: live, reused: { reason: `Reused the live token (${minutes} min left) instead of minting a new one. ${provider.tokenReuse.reason}` } };
    }
  }

  const secrets = [credential.credentials.clientSecret];
  const httpRequest = buildClientCredentialsRequest(provider.grant, env.tokenUrl, credential.credentials);
  const result = await sendOutbound(
    { ...httpRequest, allowedOrigin: env.origin, timeoutMs: TOKEN_TIMEOUT_MS },
    { kind: 'text', maxBytes: 256 * 1024 },
    { kind: 'token', providerId: provider.id, environmentId: environment.id, secrets },
  );

  if (!result.ok) {
    await ctx.vault.recordExchange(ctx.sid, result.exchange);
    throw new HttpError(result.failure.code === 'upstream_timeout' ? 504 : 502, result.failure.code, result.failure.message, {
      hint: environment.kind === 'builtin' ? 'The built-in sandbox is served by this console; check the console’s log.' : 'Check the network, or switch to the built-in sandbox to work offline.',
      exchangeId: result.exchange.id,
    });
  }
  const { response } = result;
  const accessTokenFromBody = extractAccessToken(response.text);
  // The token itself must not land in the timeline, even in a form the generic redaction misses.
  const exchange = accessTokenFromBody ? redactExchangeBody(result.exchange, [...secrets, accessTokenFromBody]) : result.exchange;
  await ctx.vault.recordExchange(ctx.sid, exchange);

  if (response.status !== 200) {
    const explained = explainTokenError({
      status: response.status,
      contentType: response.contentType,
      body: response.text,
      retryAfter: header(response.headers, 'retry-after'),
      providerName: provider.name,
      clientAuth: provider.grant.clientAuth,
      environmentKind: environment.kind,
    });
    const retryAfter = header(response.headers, 'retry-after');
    throw new HttpError(
      explained.status,
      explained.code,
      explained.message,
      {
        hint: explained.hint,
        upstream: { status: response.status, contentType: response.contentType, body: exchange.response?.body ?? '' },
        exchangeId: exchange.id,
      },
      retryAfter ? { 'Retry-After': retryAfter } : {},
    );
  }

  const parsed = parseTokenResponse(
    { contentType: response.contentType, cacheControl: header(response.headers, 'cache-control'), body: response.text },
    { documentedLifetimeSeconds: provider.documentedTokenLifetimeSeconds, knownDeviations: provider.knownDeviations, providerName: provider.name },
  );
  if (!parsed.ok) {
    throw new HttpError(502, 'invalid_token_response', parsed.message, {
      hint: 'The provider answered 200 without a usable token; its answer is shown below.',
      upstream: { status: response.status, contentType: response.contentType, body: exchange.response?.body ?? '' },
      exchangeId: exchange.id,
    });
  }

  const issuedAt = now();
  const verification = await verifyAccessToken(parsed.value.accessToken, jwksSource(ctx, env));
  const token: StoredToken = {
    providerId: provider.id,
    environmentId: environment.id,
    credential: {
      kind: credential.kind,
      presetId: credential.presetId,
      clientId: credential.credentials.clientId,
      label: credential.label,
    },
    accessToken: parsed.value.accessToken,
    tokenType: parsed.value.tokenType,
    expiresInRaw: parsed.value.expiresInRaw,
    issuedAt,
    expiresAt: issuedAt + parsed.value.expiresInSeconds * 1000,
    scope: parsed.value.scope,
    deviations: [...recipeDeviations(provider.grant, provider.knownDeviations), ...parsed.value.deviations],
    verification,
    exchangeId: exchange.id,
  };
  await ctx.vault.putToken(ctx.sid, token);
  return { token };
}

function resolveCredential(env: ResolvedEnvironment, credential: TokenRequest['credential']): ResolvedCredential {
  const { provider, environment } = env;
  if (credential.kind === 'custom') {
    if (!provider.allowCustomCredentials) {
      throw new HttpError(400, 'bad_request', `${provider.name} takes only its preset credentials here.`);
    }
    return {
      kind: 'custom',
      label: 'Your own credentials',
      credentials: { clientId: credential.clientId.trim(), clientSecret: credential.clientSecret },
    };
  }
  const preset = provider.presets.find((p) => p.id === credential.presetId);
  if (!preset) {
    throw new HttpError(404, 'not_found', `${provider.name} has no credential set "${credential.presetId}".`);
  }
  if (!preset.environments.includes(environment.id)) {
    throw new HttpError(400, 'preset_not_for_environment', `"${preset.label}" is a sandbox credential set; it does not work in ${environment.label}.`, {
      hint: 'Pick the built-in or real sandbox, or use your own credentials for this environment.',
    });
  }
  return {
    kind: 'preset',
    presetId: preset.id,
    label: preset.label,
    credentials: { clientId: preset.clientId, clientSecret: preset.clientSecret },
  };
}

function header(headers: [string, string][], name: string): string | null {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
}

function extractAccessToken(body: string): string | null {
  try {
    const json = JSON.parse(body) as { access_token?: unknown };
    return typeof json.access_token === 'string' ? json.access_token : null;
  } catch {
    return null;
  }
}

function redactExchangeBody(exchange: ExchangeDto, secrets: string[]): ExchangeDto {
  if (!exchange.response?.body) return exchange;
  return { ...exchange, response: { ...exchange.response, body: redactText(exchange.response.body, secrets) } };
}

type JwksCache = Map<string, { jwks: JSONWebKeySet; fetchedAt: number }>;
const JWKS_CACHE = Symbol.for('console.jwks.cache');

function jwksSource(ctx: TokenServiceContext, env: ResolvedEnvironment): JwksSource {
  const url = env.jwksUrl;
  if (!url) {
    return { kind: 'none', reason: `${env.environment.label} publishes no JWKS, so the signature cannot be checked here.` };
  }
  const g = globalThis as typeof globalThis & { [JWKS_CACHE]?: JwksCache };
  const cache = (g[JWKS_CACHE] ??= new Map());
  return {
    kind: 'jwks',
    load: async ({ refresh }) => {
      const cached = cache.get(url.toString());
      if (cached && !refresh && Date.now() - cached.fetchedAt < JWKS_CACHE_MS) return cached.jwks;
      const result = await sendOutbound(
        { method: 'GET', url, headers: [['Accept', 'application/json']], allowedOrigin: env.origin, timeoutMs: 10_000 },
        { kind: 'text', maxBytes: 256 * 1024 },
        { kind: 'jwks', providerId: env.provider.id, environmentId: env.environment.id, secrets: [] },
      );
      await ctx.vault.recordExchange(ctx.sid, result.exchange);
      if (!result.ok) throw new Error(result.failure.message);
      if (result.response.status !== 200) throw new Error(`${url} answered ${result.response.status}`);
      const jwks = JSON.parse(result.response.text) as JSONWebKeySet;
      if (!Array.isArray(jwks.keys)) throw new Error(`${url} is not a JWKS (no "keys" array)`);
      cache.set(url.toString(), { jwks, fetchedAt: Date.now() });
      return jwks;
    },
  };
}
