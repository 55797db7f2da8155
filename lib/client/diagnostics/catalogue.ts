import type { ExchangeDto, ProviderDto, TokenDto } from '@/lib/contract/schemas';
import { readErrorBody } from '@/lib/contract/error-body';
import { getHeader } from '@/lib/contract/headers';
import { dpopChallengeOf, explainDpopProblem, isNonceChallenge } from '@/lib/contract/dpop';

/**
 * Known failures, each with how it is recognised and what fixes it. Pure and isomorphic: the page runs it over
 * the (already redacted) exchanges and token DTOs it has, so a diagnosis appears where the failure happened.
 */

export interface Diagnosis {
  id: DiagnosisId;
  severity: 'error' | 'warning' | 'info';
  title: string;
  /** What happened, in words, with the evidence. */
  explanation: string;
  /** What to do about it. */
  fix: string;
}

export type DiagnosisId =
  | 'sandbox_credentials_on_production'
  | 'production_credentials_on_sandbox'
  | 'invalid_client'
  | 'missing_bearer'
  | 'lowercase_bearer'
  | 'expired_token'
  | 'token_refused'
  | 'refused_scope'
  | 'rate_limited'
  | 'redirect_uri_mismatch'
  | 'invalid_grant_code'
  | 'refresh_token_dead'
  | 'grant_expired'
  | 'export_file_expired'
  | 'server_error'
  | 'network_failure'
  | 'credentials_rotation'
  | 'clock_skew'
  | 'dpop_nonce_challenge'
  | 'dpop_refused';

export interface ExchangeContext {
  provider: ProviderDto | undefined;
  /** The session's token for the exchange's provider, if any. */
  token: TokenDto | undefined;
}

function environmentKind(ctx: ExchangeContext, environmentId: string) {
  return ctx.provider?.environments.find((e) => e.id === environmentId)?.kind;
}

function isSandboxPresetClient(ctx: ExchangeContext, exchange: ExchangeDto): boolean {
  const clientId = ctx.token?.clientId;
  const body = exchange.request.body ?? '';
  return (ctx.provider?.presets ?? []).some((p) => p.clientId === clientId || body.includes(p.clientId));
}

/** Every diagnosis that applies to one exchange, most specific first. */
export function diagnoseExchange(exchange: ExchangeDto, ctx: ExchangeContext): Diagnosis[] {
  const found: Diagnosis[] = [];
  const add = (d: Diagnosis) => found.push(d);
  const status = exchange.status;
  const name = ctx.provider?.name ?? exchange.providerId;
  const notes = ctx.provider?.diagnosticNotes ?? {};
  const body = exchange.response?.body ?? null;
  const said = readErrorBody(body);
  const text = `${said.error ?? ''} ${said.description ?? ''} ${body ?? ''}`.toLowerCase();
  const kind = environmentKind(ctx, exchange.environmentId);

  if (status === null) {
    add({
      id: 'network_failure',
      severity: 'error',
      title: 'No answer from the server',
      explanation: exchange.error ?? `${new URL(exchange.url).host} could not be reached.`,
      fix: kind === 'builtin' ? 'The built-in sandbox runs inside the console: check the console’s log.' : 'Check the network (this machine may be offline); the built-in sandbox works without one.',
    });
    return found;
  }

  if (exchange.kind === 'token') {
    const rejectedClient = status === 401 || said.error === 'invalid_client' || said.error === 'unauthorized_client' || said.error === 'UnauthorizedError';
    if (rejectedClient && kind === 'production' && isSandboxPresetClient(ctx, exchange)) {
      add({
        id: 'sandbox_credentials_on_production',
        severity: 'error',
        title: 'Sandbox credentials sent to production',
        explanation: `The client ID is one of ${name}’s public sandbox credential sets, and production rejected it (${status}).`,
        fix: 'Use the credentials issued to your organisation for production, or switch the environment to the sandbox.',
      });
    } else if (rejectedClient && kind === 'sandbox' && !isSandboxPresetClient(ctx, exchange)) {
      add({
        id: 'production_credentials_on_sandbox',
        severity: 'warning',
        title: 'Your own credentials were refused by the sandbox',
        explanation: `The sandbox answered ${status}. Production credentials do not work on the sandbox, and the sandbox has its own published credential sets.`,
        fix: 'Pick one of the sandbox presets, or check that these credentials were issued for the sandbox.',
      });
    }
    if (rejectedClient) {
      add({
        id: 'invalid_client',
        severity: 'error',
        title: 'Client authentication failed',
        explanation: `${name}’s token endpoint answered ${status}${said.error ? ` (${said.error}${said.description ? `: ${said.description}` : ''})` : said.description ? ` (“${said.description}”)` : ''}: the client ID or secret was not accepted.`,
        fix: 'Check the ID and secret for typos and trailing spaces, that they belong to this environment, and that they are sent the way the provider expects (Basic header, form or JSON body).',
      });
      if (kind === 'production' && notes.productionClientRejected) {
        add({ id: 'credentials_rotation', severity: 'info', ...notes.productionClientRejected });
      }
    }
    if (said.error === 'invalid_grant') {
      const exchangeCode = (exchange.request.body ?? '').includes('authorization_code');
      const grantEnded = notes.grantEnded !== undefined && new RegExp(notes.grantEnded.pattern, 'i').test(text);
      if (grantEnded) {
        add({
          id: 'grant_expired',
          severity: 'error',
          title: 'The beneficiary’s data-access grant has ended',
          explanation: `${name} refused the refresh: “${said.description ?? 'invalid_grant'}”. ${notes.grantEnded?.lifetime ?? ''}`.trim(),
          fix: 'Send the user through Authorize again; they must sign in and consent anew.',
        });
      } else if (exchangeCode && /redirect/.test(text)) {
        add({
          id: 'redirect_uri_mismatch',
          severity: 'error',
          title: 'The redirect URI does not match',
          explanation: 'The token request’s redirect_uri differs from the one used at authorize, or from the registered one.',
          fix: 'Register the console’s redirect URI exactly (scheme, host, port, path, trailing slash) and start again.',
        });
      } else if (exchangeCode) {
        add({
          id: 'invalid_grant_code',
          severity: 'error',
          title: 'The authorization code was refused',
          explanation: `${name} answered invalid_grant to the code exchange${said.description ? `: “${said.description}”` : ''}.`,
          fix: 'Codes work once and for minutes, only with the same redirect_uri and the PKCE verifier of that run. Authorize again.',
        });
      } else {
        add({
          id: 'refresh_token_dead',
          severity: 'error',
          title: 'The refresh token no longer works',
          explanation: `${name} answered invalid_grant to the refresh${said.description ? `: “${said.description}”` : ''}. A rotated (already used) or revoked refresh token looks like this.`,
          fix: 'Authorize again for a new token pair; with rotating providers always keep the newest refresh token.',
        });
      }
    }
  }

  // RFC 9449: a nonce challenge is a step the console answers; a refused proof says which check failed.
  const dpopChallenge = dpopChallengeOf(getHeader(exchange.response?.headers ?? [], 'www-authenticate'));
  if (exchange.response && isNonceChallenge({ status, headers: exchange.response.headers, body })) {
    add({
      id: 'dpop_nonce_challenge',
      severity: 'info',
      title: 'The server asked for its DPoP nonce',
      explanation: `${name} answered use_dpop_nonce with a DPoP-Nonce header (RFC 9449 §${exchange.kind === 'fhir' ? '9' : '8'}). The console sends the request once more with a new proof that carries it; the next row is that answer.`,
      fix: 'Nothing to do. The console keeps the nonce for this server and sends it with the next proofs.',
    });
    return found;
  }
  const dpopError = dpopChallenge?.error ?? (said.error === 'invalid_dpop_proof' || said.error === 'use_dpop_nonce' ? said.error : undefined);
  if (dpopError && status !== null && status >= 400) {
    const description = dpopChallenge?.description ?? said.description;
    add({
      id: 'dpop_refused',
      severity: 'error',
      title: dpopError === 'use_dpop_nonce' ? 'The server asked for its DPoP nonce again' : `${name} refused the DPoP proof`,
      explanation: `${name} answered ${status} ${dpopError}${description ? `: “${description}”` : ''}.${exchange.dpop ? ' The proof this request carried is in the timeline row, decoded.' : ' This request carried no DPoP proof.'}`,
      fix: dpopError === 'use_dpop_nonce' ? 'The console answers a nonce challenge once; a server that refuses its own fresh nonce needs another try, or its provider’s attention.' : explainDpopProblem(description).fix,
    });
  }

  if (exchange.kind === 'fhir' && status === 401 && !dpopError) {
    const authorization = getHeader(exchange.request.headers, 'authorization');
    if (!authorization) {
      add({
        id: 'missing_bearer',
        severity: 'error',
        title: 'No bearer token was sent',
        explanation: 'The request went out without an Authorization header: there was no live token for this environment and credential set.',
        fix: 'Get a token first (or authorize), then send the request again.',
      });
    } else if (/^bearer\b/.test(authorization) && !authorization.startsWith('Bearer')) {
      add({
        id: 'lowercase_bearer',
        severity: 'error',
        title: 'Lower-case “bearer”',
        explanation: `The Authorization scheme was sent in lower case; ${notes.bearerCase ?? `${name} may require “Bearer” with a capital B, as most servers compare it exactly.`}`,
        fix: 'Send “Authorization: Bearer <token>”.',
      });
    }
    const tokenExpired = ctx.token !== undefined && ctx.token.expiresAt <= exchange.startedAt;
    if (tokenExpired || /expired/.test(text)) {
      add({
        id: 'expired_token',
        severity: 'error',
        title: 'The access token has expired',
        explanation: tokenExpired
          ? `The token expired at ${new Date(ctx.token!.expiresAt).toISOString()}, before this request.`
          : `${name} says the token expired${said.description ? `: “${said.description}”` : ''}.`,
        fix: ctx.token?.refresh ? 'Press “Refresh now” for a new access token.' : 'Get a new token; client-credentials tokens are not refreshed, they are minted again.',
      });
    } else if (authorization && authorization.startsWith('Bearer') && ctx.token?.dpop) {
      add({
        id: 'dpop_refused',
        severity: 'error',
        title: 'A DPoP-bound token was sent as a bearer token',
        explanation: `The token is bound to the console’s DPoP key, and this request sent it as “Bearer” without a proof; ${name} answered 401, as RFC 9449 §7.2 requires.`,
        fix: explainDpopProblem('sent as Bearer').fix,
      });
    } else if (authorization && (authorization.startsWith('Bearer') || authorization.startsWith('DPoP'))) {
      // The refusal the BFF recorded for this exchange carries the challenge's words (RFC 6750 §3), which a body
      // such as "Authentication credentials were not provided." hides.
      const refusal = ctx.token?.refusal?.exchangeId === exchange.id ? ctx.token.refusal : undefined;
      const reason = refusal?.reason ?? said.description;
      add({
        id: 'token_refused',
        severity: 'error',
        title: `${name} refused the token before its expiry`,
        explanation: `${name} answered 401 to the token this request carried${reason ? `: “${reason}”` : ''}.${notes.tokenRefused ? ` ${notes.tokenRefused}` : ' It may have been revoked, or replaced by a newer one.'}`,
        fix: ctx.token?.refresh
          ? 'Press “Refresh now” for a new access token.'
          : ctx.token?.grantType === 'authorization_code'
            ? 'Authorize again for a new token.'
            : 'Press Get token: a refused token is never reused, so a new one is minted.',
      });
    }
  }

  if (exchange.kind === 'fhir' && status === 403) {
    const granted = new Set((ctx.token?.scope ?? '').split(/\s+/).filter(Boolean));
    const requested = (ctx.token?.presetId ? ctx.provider?.presets.find((p) => p.id === ctx.token?.presetId)?.grant?.scopes : undefined) ?? ctx.provider?.grant.scopes ?? [];
    const missing = requested.filter((s) => !granted.has(s));
    add({
      id: 'refused_scope',
      severity: 'error',
      title: 'Forbidden: the token lacks a scope this request needs',
      explanation: missing.length > 0
        ? `The grant left out ${missing.join(', ')} (requested but not granted), so ${name} answers 403${said.description ? `: “${said.description}”` : ''}.`
        : `${name} answered 403${said.description ? `: “${said.description}”` : ''}: the token is valid but not allowed this resource.`,
      fix: missing.length > 0 ? 'Authorize again and, on the consent page, allow the data this request reads.' : 'Check the scopes of the credential set and what the resource requires.',
    });
  }

  if (status === 429) {
    const retryAfter = getHeader(exchange.response?.headers ?? [], 'retry-after');
    add({
      id: 'rate_limited',
      severity: 'warning',
      title: 'Rate limited',
      explanation: `${name} answered 429 Too Many Requests${retryAfter ? ` and asks to wait ${retryAfter} seconds (Retry-After)` : ''}.`,
      fix:
        exchange.kind !== 'token'
          ? 'Wait for Retry-After before trying again; poll less often.'
          : ctx.token && !ctx.token.refusal && ctx.token.expiresAt > exchange.startedAt
            ? 'A live token is still held and works: the console reuses it unless you ask for a new one, so no new token is needed yet.'
            : 'No live token is held: wait for Retry-After, then get one token and let the console reuse it rather than minting more.',
    });
  }

  if (status === 410 && /\/data\/|\/jobs\//.test(exchange.url)) {
    add({
      id: 'export_file_expired',
      severity: 'warning',
      title: 'The export has expired',
      explanation: notes.exportRetention ?? `${name} no longer serves this job or file (410 Gone): export files are kept for a limited time.`,
      fix: 'Start a new $export and download its files while they are kept.',
    });
  }

  if (status >= 500) {
    const retryAfter = getHeader(exchange.response?.headers ?? [], 'retry-after');
    add({
      id: 'server_error',
      severity: 'error',
      title: `${name} failed (${status})`,
      explanation: `The provider answered ${status}${said.description ? `: “${said.description}”` : ''}. This is the provider’s side, not your request.`,
      fix: retryAfter ? `Retry after ${retryAfter} seconds.` : 'Retry shortly; if it persists, check the provider’s status page.',
    });
  }
  return found;
}

/** Diagnoses that a token's own claims reveal (clock skew, lifetimes). */
export function diagnoseToken(token: TokenDto): Diagnosis[] {
  const found: Diagnosis[] = [];
  const claims = token.jwt?.claims ?? {};
  const iat = typeof claims.iat === 'number' ? claims.iat * 1000 : undefined;
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  const skewToleranceMs = 60_000;
  if (iat !== undefined && iat - token.issuedAt > skewToleranceMs) {
    found.push({
      id: 'clock_skew',
      severity: 'warning',
      title: 'Clock skew: the token was issued in the future',
      explanation: `Its iat is ${Math.round((iat - token.issuedAt) / 1000)} s after the console received it: the provider’s clock or this server’s is off.`,
      fix: 'Sync the server clock (NTP). APIs that check iat or nbf strictly will refuse the token until the clocks agree.',
    });
  }
  if (exp !== undefined && exp <= token.issuedAt) {
    found.push({
      id: 'clock_skew',
      severity: 'error',
      title: 'Clock skew: the token was already expired on arrival',
      explanation: `Its exp (${new Date(exp).toISOString()}) is before the moment the console received it.`,
      fix: 'Sync the server clock (NTP); if the clocks are right, the provider issued an expired token.',
    });
  }
  return found;
}
