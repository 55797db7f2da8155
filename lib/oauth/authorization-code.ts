import 'server-only';
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { redactUrl } from '@/lib/http/redact';
import { HttpError, type ApiErrorCode } from '@/lib/http/errors';
import { codeBindingOf } from '@/lib/providers/code-binding';
import { builtinOrigin, resolveEnvironment, type ResolvedEnvironment } from '@/lib/providers/resolve';
import type { PendingFlow, StoredToken } from '@/lib/session/vault';
import type { ResolvedFlow } from './flow';
import { callTokenEndpoint, type TokenEndpointContext } from './token-endpoint';
import { prepareTokenRequest } from './client-authentication';
import { recipeDeviations } from './token-request';
import { pushAuthorizationRequest, type PushedAuthorization } from './pushed-authorization';

/** The console's callback for a provider: exact, per provider (SECURITY.md rules 6 and 7). */
export function redirectUriFor(publicOrigin: string, providerId: string): string {
  return `${publicOrigin}/api/oauth/${providerId}/callback`;
}

export interface StartedAuthorization {
  authorizeUrl: string;
  state: string;
  redirectUri: string;
}

/**
 * Starts an authorization-code run (RFC 6749 §4.1): a fresh state (≥ 128 bits) and a PKCE S256 verifier (RFC
 * 7636) on every run, kept server-side under the state; the browser gets only the authorize URL. Only a provider
 * known to refuse PKCE gets none, and then an OpenID Connect nonce where there is an ID token (RFC 9700 §2.1.1).
 * @param publicOrigin the console's origin as the browser sees it: built-in sandboxes' authorize pages are
 *   reached by the browser there, not over the server's loopback.
 */
export async function startAuthorization(
  ctx: TokenEndpointContext,
  flow: ResolvedFlow,
  publicOrigin: string,
): Promise<StartedAuthorization> {
  const { provider, grant, credential } = flow;
  if (grant.grantType !== 'authorization_code') {
    throw new HttpError(400, 'bad_request', `"${credential.label}" uses client credentials: press Get token instead.`);
  }
  const browserEnv = browserView(flow, publicOrigin);
  if (!browserEnv.authorizeUrl) {
    throw new HttpError(400, 'bad_request', `${provider.name} has no authorization endpoint in ${flow.env.environment.label}.`);
  }
  const state = oauth.generateRandomState();
  const binding = codeBindingOf(grant);
  const codeVerifier = binding.method === 'pkce_s256' ? oauth.generateRandomCodeVerifier() : undefined;
  const redirectUri = redirectUriFor(publicOrigin, provider.id);

  const url = new URL(browserEnv.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', credential.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  if (grant.scopes.length > 0) url.searchParams.set('scope', grant.scopes.join(' '));
  url.searchParams.set('state', state);
  if (codeVerifier) {
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  // OIDC Core §3.1.2.1: where PKCE cannot bind the code, the ID token must carry this run's nonce (§15.5.2).
  const nonce = binding.method === 'oidc_nonce' ? oauth.generateRandomNonce() : undefined;
  if (nonce) url.searchParams.set('nonce', nonce);
  // SMART App Launch: the server checks it serves the FHIR base named here, so a token cannot be aimed elsewhere.
  if (grant.smartAudience) url.searchParams.set('aud', browserEnv.fhirBaseUrl.toString());
  for (const [name, value] of Object.entries(grant.authorizeParams)) url.searchParams.set(name, value);
  const pushed = await pushIfOffered(ctx, flow, url);

  const pending: PendingFlow = {
    providerId: provider.id,
    environmentId: flow.env.environment.id,
    credential: {
      kind: credential.kind,
      presetId: credential.presetId,
      clientId: credential.clientId,
      clientSecret: credential.kind === 'custom' ? credential.clientSecret : undefined,
    },
    codeVerifier,
    nonce,
    redirectUri,
    issuer: browserEnv.environment.issuer ?? browserEnv.baseUrl,
    scopes: grant.scopes,
    createdAt: Date.now(),
    ...(pushed ? { pushed: { expiresAt: pushed.expiresAt, expiresIn: pushed.expiresIn } } : {}),
  };
  await ctx.vault.putPendingFlow(ctx.sid, state, pending);
  const browserUrl = pushed ? byReference(url, pushed.requestUri) : url;
  await recordBrowserLeg(ctx, { kind: 'authorize', providerId: provider.id, environmentId: flow.env.environment.id, url: browserUrl.toString(), status: null });
  return { authorizeUrl: browserUrl.toString(), state, redirectUri };
}

/**
 * RFC 9126: where the environment takes pushed authorization requests and the flow does not opt out, the parameters
 * go server to server and the browser carries only `client_id` and `request_uri` (§4). A server that requires the push
 * (§5) gets it or a clear refusal; the `par_not_used` simulation skips it on purpose, to show the server's refusal.
 */
async function pushIfOffered(ctx: TokenEndpointContext, flow: ResolvedFlow, url: URL): Promise<PushedAuthorization | undefined> {
  const { env, grant, provider } = flow;
  const parUrl = env.pushedAuthorizationUrl;
  const simulatedSkip = env.environment.kind === 'builtin' && (ctx.simulations ?? []).includes('par_not_used');
  if (!parUrl || simulatedSkip) return undefined;
  if (!grant.pushAuthorizationRequests) {
    if (env.environment.requirePushedAuthorizationRequests) {
      throw new HttpError(400, 'bad_request', `${provider.name} accepts only pushed authorization requests (require_pushed_authorization_requests, RFC 9126 §5), and pushing is off for this provider.`, {
        hint: 'Edit the provider and set pushed authorization requests to “when offered”.',
      });
    }
    return undefined;
  }
  const pushed = new URLSearchParams(url.searchParams);
  // Server to server, the FHIR base is named as the server reaches it: a built-in sandbox checks aud against the
  // address the push came to, which is the console's loopback, not the browser's origin.
  if (grant.smartAudience) pushed.set('aud', env.fhirBaseUrl.toString());
  return pushAuthorizationRequest(ctx, flow, parUrl, pushed);
}

/** The authorization URL that names a pushed request: `client_id` and `request_uri` only (RFC 9126 §4). */
function byReference(url: URL, requestUri: string): URL {
  const reference = new URL(url.origin + url.pathname);
  reference.searchParams.set('client_id', url.searchParams.get('client_id') ?? '');
  reference.searchParams.set('request_uri', requestUri);
  return reference;
}

interface BrowserLeg {
  kind: 'authorize' | 'callback';
  providerId: string;
  environmentId: string;
  url: string;
  /** The console's own answer to the browser (the callback's 303); null where the console sent nothing. */
  status: number | null;
  location?: string;
  error?: string;
}

/**
 * The browser's legs of the run, for the timeline and the sequence diagram: the console made no request, so only the
 * URL (the code redacted as a secret-named query field) and the console's own redirect are kept.
 */
async function recordBrowserLeg(ctx: TokenEndpointContext, leg: BrowserLeg, startedAt = Date.now()): Promise<void> {
  await ctx.vault.recordExchange(ctx.sid, {
    id: randomUUID(),
    startedAt,
    kind: leg.kind,
    providerId: leg.providerId,
    environmentId: leg.environmentId,
    method: 'GET',
    url: redactUrl(leg.url),
    status: leg.status,
    durationMs: 0,
    request: { headers: [], body: null },
    response: leg.location ? { headers: [['location', leg.location]], body: null, bodyTruncated: false, size: 0 } : null,
    ...(leg.error === undefined ? {} : { error: leg.error }),
  });
}

/** Where the callback sent the browser and the URL it came by (as the browser sent it, before redaction). */
export interface CallbackLeg {
  url: string;
  location: string;
}

/**
 * The environment as the browser reaches it. Built-in sandboxes are served on the console's own origin: the server
 * calls them over loopback, the browser by the address it opened the console at. That holds for a built-in
 * sandbox added by discovery (its endpoints name the loopback origin) as for the built-in providers.
 */
function browserView(flow: ResolvedFlow, publicOrigin: string): ResolvedEnvironment {
  const { provider, env } = flow;
  if (env.environment.origin === null) return resolveEnvironment(provider, env.environment, publicOrigin);
  if (env.environment.kind !== 'builtin' || env.origin !== builtinOrigin()) return env;
  const moved = (url: string) => {
    const parsed = new URL(url);
    return parsed.origin === env.origin ? publicOrigin + parsed.pathname + parsed.search : url;
  };
  const environment = {
    ...env.environment,
    authorizeUrl: env.authorizeUrl && moved(env.authorizeUrl.toString()),
    issuer: env.environment.issuer && moved(env.environment.issuer),
  };
  return { ...env, environment, baseUrl: moved(env.baseUrl), authorizeUrl: environment.authorizeUrl ? new URL(environment.authorizeUrl) : undefined, fhirBaseUrl: new URL(moved(env.fhirBaseUrl.toString())) };
}

export type CallbackParams = Record<string, string | undefined> | URLSearchParams;

/**
 * Finishes a run at the callback: the state must name a pending run of this session and provider (single use);
 * then oauth4webapi's strict check of the authorization response (RFC 9207: an `iss` must be where the request
 * went; no parameter twice; an error answer is an error) and the code is exchanged server-side with the verifier
 * and client secret. A run bound by a nonce instead of PKCE keeps the token only when the ID token carries this
 * run's nonce. Returns the stored token.
 */
export async function completeAuthorization(
  ctx: TokenEndpointContext,
  providerId: string,
  callbackParams: CallbackParams,
  expectedState: string | null,
  resolve: (pending: PendingFlow) => ResolvedFlow | Promise<ResolvedFlow>,
  leg?: CallbackLeg,
): Promise<StoredToken> {
  const startedAt = Date.now();
  let environmentId = '';
  let legRecorded = false;
  const recordLeg = async (error?: string) => {
    if (!leg || legRecorded) return;
    legRecorded = true;
    await recordBrowserLeg(ctx, { kind: 'callback', providerId, environmentId, url: leg.url, status: 303, location: leg.location, error }, startedAt);
  };
  try {
    return await exchangeCallback(ctx, providerId, callbackParams, expectedState, resolve, (id) => (environmentId = id), () => recordLeg());
  } catch (error) {
    // A run refused before its code was exchanged (state, denied consent, mix-up): the callback leg is where it stopped.
    await recordLeg(error instanceof Error ? error.message : String(error));
    throw error;
  }
}

async function exchangeCallback(
  ctx: TokenEndpointContext,
  providerId: string,
  callbackParams: CallbackParams,
  expectedState: string | null,
  resolve: (pending: PendingFlow) => ResolvedFlow | Promise<ResolvedFlow>,
  setEnvironment: (id: string) => void,
  recordLeg: () => Promise<void>,
): Promise<StoredToken> {
  const search =
    callbackParams instanceof URLSearchParams
      ? callbackParams
      : new URLSearchParams(Object.entries(callbackParams).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const state = search.getAll('state').length === 1 ? (search.get('state') ?? undefined) : undefined;
  if (!state) throw callbackError(400, 'state_mismatch', 'The callback carries no state.', 'The provider must return the state it was sent; without it the console cannot tell the answer is for this run. Start again.');
  if (!expectedState || state !== expectedState) {
    throw callbackError(400, 'state_mismatch', 'The callback’s state does not match the run this browser started.', 'A tampered, stale or foreign state is refused before any token request (CSRF protection). Start the authorization again.');
  }
  const pending = await ctx.vault.takePendingFlow(ctx.sid, state);
  if (!pending || pending.providerId !== providerId) {
    throw callbackError(400, 'state_mismatch', 'This state was already used or has expired.', 'Each state works once and for 10 minutes. Start the authorization again.');
  }
  setEnvironment(pending.environmentId);
  const code = validateCallback(search, pending, state);
  await recordLeg();

  const flow = await resolve(pending);
  const grantParams: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: pending.redirectUri };
  if (pending.codeVerifier) grantParams.code_verifier = pending.codeVerifier;
  const prepared = await prepareTokenRequest(flow, grantParams);
  const { token } = await callTokenEndpoint(ctx, flow, prepared.request, {
    secrets: [...prepared.secrets, code, ...(pending.codeVerifier ? [pending.codeVerifier] : [])],
    clientAssertion: prepared.clientAssertion,
    requestDeviations: recipeDeviations(flow.grant, flow.provider.knownDeviations),
  });
  if (pending.nonce !== undefined) checkIdTokenNonce(token, pending.nonce);
  await ctx.vault.putToken(ctx.sid, token);
  return token;
}

/**
 * oauth4webapi's validation of the authorization response (RFC 6749 §4.1.2, RFC 9207 §2.4): a parameter given twice,
 * an `iss` other than the issuer the request went to, or an error answer is refused; the words are the console's.
 * Returns the code.
 */
function validateCallback(search: URLSearchParams, pending: PendingFlow, state: string): string {
  // oauth4webapi lets an empty `iss` pass as absent; an `iss` given must name the issuer exactly (RFC 9207 §2.4).
  const iss = search.get('iss');
  if (iss !== null && iss !== pending.issuer) {
    throw callbackError(400, 'state_mismatch', `The callback names issuer "${iss}", not "${pending.issuer}" where the request went.`, 'Possible mix-up attack (RFC 9207): the answer is refused.');
  }
  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse({ issuer: pending.issuer }, { client_id: pending.credential.clientId }, search, state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      const denied = error.error === 'access_denied';
      throw callbackError(
        denied ? 403 : 400,
        denied ? 'authorization_denied' : 'upstream_rejected',
        `The provider answered the authorization with ${error.error}${error.error_description ? `: ${error.error_description.replace(/\.$/, '')}` : ''}.`,
        denied ? 'The user declined at the consent screen. Authorize again and allow access.' : refusedAuthorizationHint(error.error, error.error_description, pending),
      );
    }
    throw callbackError(400, 'bad_request', `The callback is not a valid authorization response: ${error instanceof Error ? error.message : String(error)}.`, 'Start the authorization again.');
  }
  const codes = validated.getAll('code');
  if (codes.length > 1) throw callbackError(400, 'bad_request', 'The callback is not a valid authorization response: "code" parameter must be provided only once.', 'Start the authorization again.');
  const [code] = codes;
  if (!code) throw callbackError(400, 'bad_request', 'The callback carries neither a code nor an error.', 'Start the authorization again.');
  return code;
}

/**
 * The code binding of a run without PKCE (OIDC Core §3.1.3.7 step 11): the ID token must carry the nonce this
 * run sent, or the code was issued to another run and its tokens are not kept. The ID token came straight from
 * the token endpoint, so its claims are read as received (§3.1.3.7 step 6) whether or not its signature could be
 * checked.
 */
function checkIdTokenNonce(token: StoredToken, nonce: string): void {
  const hint = 'Without PKCE, the ID token’s nonce is what ties the code to the run that asked for it; a code from another browser’s run is refused and no token is kept. Start the authorization again.';
  if (!token.idToken) {
    throw callbackError(400, 'state_mismatch', 'The token response carries no ID token, so nothing shows the code was issued to this run.', hint);
  }
  if (token.idToken.claims.nonce !== nonce) {
    throw callbackError(400, 'state_mismatch', 'The ID token’s nonce is not the one this run sent: the code was issued to another run.', hint);
  }
}

/** What to do about a refused authorization request, with what the run knows of its pushed request (RFC 9126). */
function refusedAuthorizationHint(error: string, description: string | undefined, pending: PendingFlow): string {
  if (error === 'invalid_request_uri') {
    const pushed = pending.pushed;
    const late = pushed?.expiresAt !== undefined ? Math.round((Date.now() - pushed.expiresAt) / 1000) : undefined;
    const lived = pushed?.expiresIn !== undefined ? ` and lived ${pushed.expiresIn} s` : '';
    return pushed
      ? `The pushed request’s request_uri was refused: it is single use${lived}${late !== undefined && late > 0 ? `, and the browser arrived ${late} s after it expired` : ''} (RFC 9126 §2.2, §4). Authorize again: each run pushes a fresh request.`
      : 'The request_uri was refused: it is single use and short-lived (RFC 9126 §4). Authorize again.';
  }
  if (/push|\bpar\b|request_uri/i.test(description ?? '')) {
    return pending.pushed
      ? 'The server refused the pushed request at the authorization endpoint. Authorize again; if it persists, compare the pushed parameters in the timeline with the client’s registration.'
      : 'This client must push its authorization request first (require_pushed_authorization_requests, RFC 9126 §5): the parameters go server to server and the browser carries only a request_uri. The console does this whenever the server offers PAR, unless it was told not to (the “PAR skipped” simulation).';
  }
  return 'The authorization request was refused; check the client id, redirect URI and scopes.';
}

function callbackError(status: number, code: ApiErrorCode, message: string, hint: string): HttpError {
  return new HttpError(status, code, message, { hint });
}
