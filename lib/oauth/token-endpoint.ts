import 'server-only';
import type { ExchangeDto, SimulatedFailure, TokenDeviation } from '@/lib/contract/schemas';
import { HttpError } from '@/lib/http/errors';
import { readJsonObject } from '@/lib/http/json-object';
import { sendOutbound } from '@/lib/http/outbound';
import { fingerprint, redactText } from '@/lib/http/redact';
import { simulationHeaders } from '@/lib/http/simulation';
import { decodeJwtParts } from '@/lib/contract/jwt';
import { verifyAccessToken } from '@/lib/jwt/verify';
import type { SessionVault, StoredToken } from '@/lib/session/vault';
import type { ResolvedFlow } from './flow';
import { jwksSource } from './jwks';
import { explainTokenError } from './token-errors';
import type { TokenHttpRequest } from './token-request';
import { parseTokenResponse } from './token-response';
import { getHeader } from '@/lib/contract/headers';

const TOKEN_TIMEOUT_MS = 15_000;
/** RFC 6749 §5.1 fields and the secrets; everything else scalar in a token response is a fact worth showing. */
const STANDARD_FIELDS = new Set(['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope', 'id_token']);

export interface TokenEndpointContext {
  vault: SessionVault;
  sid: string;
  now?: () => number;
  /** The session's simulated failures for this provider, read once per request; sent to built-in sandboxes only. */
  simulations?: readonly SimulatedFailure[];
}

export interface TokenEndpointResult {
  token: StoredToken;
  exchange: ExchangeDto;
}

/**
 * Sends one token request and turns the answer into a stored token: records the (redacted) exchange, explains
 * any error in words, reads the response leniently with its deviations, and verifies a JWT against the
 * environment's keys. Throws HttpError for every failure; stores nothing itself.
 */
export async function callTokenEndpoint(
  ctx: TokenEndpointContext,
  flow: ResolvedFlow,
  request: TokenHttpRequest,
  options: {
    secrets: string[];
    requestDeviations: TokenDeviation[];
    /** private_key_jwt: the assertion sent, decoded, kept with the token for the page. */
    clientAssertion?: StoredToken['clientAssertion'];
    /** The grant of this request: a refresh is explained differently from the flow's own grant. */
    requestGrant?: 'refresh_token';
    previous?: StoredToken;
  },
): Promise<TokenEndpointResult> {
  const now = ctx.now ?? Date.now;
  const { provider, env } = flow;
  const record = (e: ExchangeDto) => ctx.vault.recordExchange(ctx.sid, e);
  const simulate = simulationHeaders(env.environment.kind, ctx.simulations);
  const result = await sendOutbound(
    { ...request, headers: [...request.headers, ...simulate], allowedOrigin: env.origin, timeoutMs: TOKEN_TIMEOUT_MS, publicAddressesOnly: env.environment.userSupplied },
    { kind: 'text', maxBytes: 256 * 1024 },
    { kind: 'token', providerId: provider.id, environmentId: env.environment.id, secrets: options.secrets },
  );
  if (!result.ok) {
    await record(result.exchange);
    throw new HttpError(result.failure.code === 'upstream_timeout' ? 504 : 502, result.failure.code, result.failure.message, {
      hint: env.environment.kind === 'builtin' ? 'The built-in sandbox is served by this console; check the console’s log.' : 'Check the network, or switch to the built-in sandbox to work offline.',
      exchangeId: result.exchange.id,
    });
  }
  const { response } = result;
  const body = readJsonObject(response.text);
  const issued = [body?.access_token, body?.refresh_token, body?.id_token].filter((v): v is string => typeof v === 'string' && v.length > 0);
  const secrets = [...options.secrets, ...issued];
  // Tokens must not land in the timeline, even in a form the field-based redaction misses.
  const exchange = redactExchangeBody(result.exchange, secrets);
  await record(exchange);

  if (response.status !== 200) {
    const retryAfter = (getHeader(response.headers, 'retry-after') ?? null);
    const explained = explainTokenError({
      status: response.status,
      contentType: response.contentType,
      // SECURITY.md rule 15: the words for the page come from the redacted body; an echoing server repeats the secret.
      body: redactText(response.text, secrets),
      retryAfter,
      providerName: provider.name,
      clientAuth: flow.grant.clientAuth,
      environmentKind: env.environment.kind,
      grantType: options.requestGrant ?? flow.grant.grantType,
    });
    throw new HttpError(
      explained.status,
      explained.code,
      explained.message,
      {
        hint: explained.hint,
        upstream: { status: response.status, contentType: response.contentType, body: exchange.response?.body ?? '' },
        exchangeId: exchange.id,
        clientAssertion: options.clientAssertion,
      },
      retryAfter ? { 'Retry-After': retryAfter } : {},
    );
  }

  const parsed = parseTokenResponse(
    { contentType: response.contentType, cacheControl: (getHeader(response.headers, 'cache-control') ?? null), body: response.text },
    { documentedLifetimeSeconds: flow.grant.documentedTokenLifetimeSeconds ?? provider.documentedTokenLifetimeSeconds, knownDeviations: provider.knownDeviations, providerName: provider.name },
  );
  if (!parsed.ok) {
    throw new HttpError(502, 'invalid_token_response', parsed.message, {
      hint: 'The provider answered 200 without a usable token; its answer is shown below.',
      upstream: { status: response.status, contentType: response.contentType, body: exchange.response?.body ?? '' },
      exchangeId: exchange.id,
    });
  }

  const issuedAt = now();
  const keys = jwksSource(env, record, simulate);
  const verification = await verifyAccessToken(parsed.value.accessToken, keys);
  const idToken = typeof body?.id_token === 'string' ? await describeIdToken(body.id_token, keys) : undefined;
  const token: StoredToken = {
    providerId: provider.id,
    environmentId: env.environment.id,
    grantType: flow.grant.grantType,
    credential: {
      kind: flow.credential.kind,
      presetId: flow.credential.presetId,
      clientId: flow.credential.clientId,
      label: flow.credential.label,
      clientSecret: flow.credential.kind === 'custom' && flow.grant.refresh.supported ? flow.credential.clientSecret : undefined,
      secretFingerprint: flow.credential.kind === 'custom' ? secretFingerprint(flow.credential.clientSecret) : undefined,
    },
    accessToken: parsed.value.accessToken,
    // RFC 6749 §6: a refresh response may omit refresh_token, and then the old one stays valid.
    refreshToken: parsed.value.refreshToken ?? options.previous?.refreshToken,
    refreshHistory: options.previous?.refreshHistory ?? [],
    reuses: [],
    idToken,
    // What the provider said reaches the page as it said it, minus any secret it repeated (SECURITY.md rule 15).
    responseFacts: responseFacts(body, secrets),
    tokenType: redactText(parsed.value.tokenType, secrets),
    expiresInRaw: typeof parsed.value.expiresInRaw === 'string' ? redactText(parsed.value.expiresInRaw, secrets) : parsed.value.expiresInRaw,
    issuedAt,
    expiresAt: issuedAt + parsed.value.expiresInSeconds * 1000,
    scope: parsed.value.scope === undefined ? options.previous?.scope : redactText(parsed.value.scope, secrets),
    // Deviation messages quote the provider's values (token_type, expires_in), which reach the page.
    deviations: [...options.requestDeviations, ...parsed.value.deviations.map((d) => ({ ...d, message: redactText(d.message, secrets) }))],
    verification,
    clientAssertion: options.clientAssertion,
    exchangeId: exchange.id,
  };
  return { token, exchange };
}

/** An ID token decoded and verified like the access token; an undecodable one is reported, not dropped. */
async function describeIdToken(idToken: string, keys: ReturnType<typeof jwksSource>): Promise<StoredToken['idToken']> {
  const decoded = decodeJwtParts(idToken);
  if (!decoded) return { header: {}, claims: {}, verification: { status: 'failed', reason: 'The id_token is not a JWT.' } };
  return { ...decoded, verification: await verifyAccessToken(idToken, keys) };
}

function responseFacts(body: Record<string, unknown> | null, secrets: readonly string[]): StoredToken['responseFacts'] {
  const facts: StoredToken['responseFacts'] = {};
  for (const [key, value] of Object.entries(body ?? {})) {
    if (STANDARD_FIELDS.has(key) || /token|secret|password|assertion/i.test(key)) continue;
    if (typeof value === 'string') facts[key] = redactText(value, secrets);
    else if (value === null || typeof value === 'number' || typeof value === 'boolean') facts[key] = value;
  }
  return facts;
}

function redactExchangeBody(exchange: ExchangeDto, secrets: string[]): ExchangeDto {
  if (!exchange.response?.body) return exchange;
  return { ...exchange, response: { ...exchange.response, body: redactText(exchange.response.body, secrets) } };
}

/** How a stored token remembers the custom secret it was minted with: a keyed fingerprint, never the secret. */
export function secretFingerprint(secret: string): string {
  const { hmacPrefix, length } = fingerprint(secret);
  return `${hmacPrefix}:${length}`;
}
