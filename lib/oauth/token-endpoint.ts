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
import type { ClientAssertionDto } from '@/lib/contract/smart';
import { mintFlowAssertion } from './client-authentication';
import { explainDpopProblem, isDpopTokenType } from '@/lib/contract/dpop';
import { chooseDpopAlg, createDpopProof, dpopKeyFor, nonceChallengeOf, nonceFor, rememberNonce, withDpopProof } from './dpop';

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
  const { result, proof, nonceAnswered, dpopKey, clientAssertion: reminted, secrets: sentSecrets } = await sendToAuthorizationServer(ctx, flow, request, {
    kind: 'token',
    secrets: options.secrets,
    timeoutMs: TOKEN_TIMEOUT_MS,
    allowedOrigin: env.origin,
  });
  if (!result.ok) {
    await record(withDpopProof(result.exchange, proof));
    throw new HttpError(result.failure.code === 'upstream_timeout' ? 504 : 502, result.failure.code, result.failure.message, {
      hint: env.environment.kind === 'builtin' ? 'The built-in sandbox is served by this console; check the console’s log.' : 'Check the network, or switch to the built-in sandbox to work offline.',
      exchangeId: result.exchange.id,
    });
  }
  const { response } = result;
  const body = readJsonObject(response.text);
  const issued = [body?.access_token, body?.refresh_token, body?.id_token].filter((v): v is string => typeof v === 'string' && v.length > 0);
  const secrets = [...sentSecrets, ...issued];
  // Tokens must not land in the timeline, even in a form the field-based redaction misses.
  const exchange = withDpopProof(redactExchangeBody(result.exchange, secrets), proof);
  await record(exchange);

  if (response.status !== 200) {
    {
      const dpopRefusal = explainDpopRefusal(response, redactText(response.text, secrets), `${provider.name}'s token endpoint`, nonceAnswered, proof !== undefined);
      if (dpopRefusal) {
        throw new HttpError(424, 'upstream_rejected', dpopRefusal.message, {
          hint: dpopRefusal.hint,
          upstream: { status: response.status, contentType: response.contentType, body: exchange.response?.body ?? '' },
          exchangeId: exchange.id,
          clientAssertion: reminted ?? options.clientAssertion,
        });
      }
    }
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
        hint: `${explained.hint}${proof === undefined && response.status === 400 ? dpopOfferedNote(env.environment.dpopSigningAlgs) : ''}`,
        upstream: { status: response.status, contentType: response.contentType, body: exchange.response?.body ?? '' },
        exchangeId: exchange.id,
        clientAssertion: reminted ?? options.clientAssertion,
      },
      retryAfter ? { 'Retry-After': retryAfter } : {},
    );
  }

  const parsed = parseTokenResponse(
    { contentType: response.contentType, cacheControl: (getHeader(response.headers, 'cache-control') ?? null), body: response.text },
    {
      documentedLifetimeSeconds: flow.grant.documentedTokenLifetimeSeconds ?? provider.documentedTokenLifetimeSeconds,
      knownDeviations: provider.knownDeviations,
      providerName: provider.name,
      dpopProofSent: proof !== undefined,
    },
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
    clientAssertion: reminted ?? options.clientAssertion,
    exchangeId: exchange.id,
    ...(dpopKey && proof && isDpopTokenType(parsed.value.tokenType)
      ? { dpop: { alg: dpopKey.alg, jkt: dpopKey.jkt, tokenJkt: confirmedJkt(parsed.value.accessToken), proof } }
      : {}),
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

/**
 * Sends one request to the authorization server (token or pushed authorization request endpoint) as the flow says:
 * with the session's simulations for a built-in sandbox, and for a DPoP flow a fresh proof (RFC 9449 §4), answering
 * the server's nonce challenge once (§8). The first, challenged answer is recorded here; the last is the caller's.
 */
export async function sendToAuthorizationServer(
  ctx: TokenEndpointContext,
  flow: ResolvedFlow,
  firstRequest: TokenHttpRequest,
  options: { kind: 'token' | 'par'; secrets: string[]; timeoutMs: number; allowedOrigin: string },
) {
  let request = firstRequest;
  const secrets = [...options.secrets];
  const { provider, env } = flow;
  const simulate = simulationHeaders(env.environment.kind, ctx.simulations);
  let dpopKey = flow.grant.dpop ? await dpopKeyFor(ctx, provider.id, chooseDpopAlg(env.environment.dpopSigningAlgs, provider.name)) : undefined;
  const send = async (nonce: string | undefined, answersNonceChallenge: boolean) => {
    const proof = dpopKey ? await createDpopProof(dpopKey, { method: request.method, url: request.url, nonce, answersNonceChallenge }) : undefined;
    const sent = await sendOutbound(
      {
        ...request,
        headers: [...request.headers, ...(proof ? ([['DPoP', proof.proof]] as [string, string][]) : []), ...simulate],
        allowedOrigin: options.allowedOrigin,
        timeoutMs: options.timeoutMs,
        publicAddressesOnly: env.environment.userSupplied,
      },
      { kind: 'text', maxBytes: 256 * 1024 },
      { kind: options.kind, providerId: provider.id, environmentId: env.environment.id, secrets: [...secrets, ...(proof ? [proof.proof] : [])] },
    );
    return { result: sent, proof: proof?.decoded };
  };
  let { result, proof } = await send(dpopKey ? nonceFor(dpopKey, request.url, 'authorization') : undefined, false);
  const challenge = dpopKey && result.ok ? nonceChallengeOf(result.response) : null;
  let clientAssertion: ClientAssertionDto | undefined;
  if (dpopKey && challenge && result.ok) {
    await ctx.vault.recordExchange(ctx.sid, withDpopProof(redactExchangeBody(result.exchange, secrets), proof));
    dpopKey = await rememberNonce(ctx, provider.id, dpopKey, request.url, result.response, 'authorization');
    // RFC 7523 §3: the assertion's jti was spent on the challenged request; the answer to the challenge needs a new one.
    if (flow.grant.clientAuth === 'private_key_jwt') {
      const minted = await mintFlowAssertion(flow);
      request = withClientAssertion(request, minted.assertion);
      secrets.push(minted.assertion);
      clientAssertion = { header: { ...minted.header }, claims: { ...minted.claims } };
    }
    ({ result, proof } = await send(challenge, true));
  }
  if (dpopKey && result.ok) dpopKey = await rememberNonce(ctx, provider.id, dpopKey, request.url, result.response, 'authorization');
  return { result, proof, dpopKey, nonceAnswered: challenge !== null, clientAssertion, secrets };
}

/** The request with another client_assertion in its form or JSON body. */
function withClientAssertion(request: TokenHttpRequest, assertion: string): TokenHttpRequest {
  const body = request.body ?? '';
  if (body.trimStart().startsWith('{')) return { ...request, body: JSON.stringify({ ...(JSON.parse(body) as Record<string, unknown>), client_assertion: assertion }) };
  const form = new URLSearchParams(body);
  form.set('client_assertion', assertion);
  return { ...request, body: form.toString() };
}

/** `cnf.jkt` of a JWT access token (RFC 9449 §6.1), read as received; null for an opaque token or none. */
function confirmedJkt(accessToken: string): string | null {
  const cnf = decodeJwtParts(accessToken)?.claims.cnf;
  const jkt = cnf && typeof cnf === 'object' ? (cnf as Record<string, unknown>).jkt : undefined;
  return typeof jkt === 'string' ? jkt : null;
}

/**
 * An authorization server's refusal about DPoP in words (RFC 9449 §5.2 `invalid_dpop_proof`, §8 a nonce asked for
 * again after the console answered it, or any error that names DPoP, such as a proof missing for a client registered
 * with dpop_bound_access_tokens); undefined for any other error, which the generic explanation covers.
 */
export function explainDpopRefusal(
  response: { status: number },
  redactedBody: string,
  endpointName: string,
  nonceAnswered: boolean,
  proofSent: boolean,
): { message: string; hint: string } | undefined {
  const body = readJsonObject(redactedBody);
  const error = typeof body?.error === 'string' ? body.error : undefined;
  const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
  if (error === 'use_dpop_nonce') {
    return {
      message: `${endpointName} asked for a DPoP nonce${nonceAnswered ? ' again, after the console sent the one it gave' : ''} (${response.status} use_dpop_nonce${description ? `: ${description}` : ''}).`,
      hint: nonceAnswered
        ? 'The console answers a nonce challenge once (RFC 9449 §8). A server that refuses its own fresh nonce rotates them too fast or checks them against another instance; try again, and report it to the provider if it persists.'
        : explainDpopProblem('nonce').fix,
    };
  }
  if (error !== 'invalid_dpop_proof' && !/dpop/i.test(description ?? '')) return undefined;
  if (!proofSent) {
    return {
      message: `${endpointName} wants a DPoP proof, and the request carried none (${response.status} ${error ?? ''}${description ? `: ${description}` : ''}).`,
      hint: explainDpopProblem('DPoP proof required').fix,
    };
  }
  const { fix } = explainDpopProblem(description);
  return { message: `${endpointName} refused the DPoP proof (${response.status} ${error ?? 'error'}${description ? `: ${description}` : ''}).`, hint: fix };
}

/**
 * A server that takes DPoP proofs may refuse a client registered with dpop_bound_access_tokens for sending none
 * (RFC 9449 §5.2), and many say only "invalid_grant" (oidc-provider: "grant request is invalid"): worth naming.
 */
function dpopOfferedNote(algs: readonly string[] | undefined): string {
  if (!algs || algs.length === 0) return '';
  return ` The server also takes DPoP proofs (${algs.join(', ')}), and refuses a client registered with dpop_bound_access_tokens that sends none (RFC 9449 §5.2): if this client is one, turn DPoP on.`;
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
