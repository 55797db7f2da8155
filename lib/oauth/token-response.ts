import 'server-only';
import type { TokenDeviation } from '@/lib/contract/schemas';
import { decodeJwtParts } from '@/lib/contract/jwt';
import type { KnownDeviation } from '@/lib/providers/schema';

/**
 * Lenient reading of a token endpoint's success response (RFC 6749 §5.1): take what the provider sends,
 * and record every way it departs from the spec so the page can show it.
 */

export interface ParsedTokenResponse {
  accessToken: string;
  tokenType: string;
  /** `expires_in` as received, for display. */
  expiresInRaw: unknown;
  /** Seconds the token lives, from `expires_in` or, failing that, the JWT's exp or the documented lifetime. */
  expiresInSeconds: number;
  scope?: string;
  refreshToken?: string;
  deviations: TokenDeviation[];
}

export type TokenResponseParseResult =
  | { ok: true; value: ParsedTokenResponse }
  | { ok: false; message: string; deviations: TokenDeviation[] };

export interface TokenResponseInput {
  contentType: string | null;
  cacheControl: string | null;
  body: string;
}

export interface TokenResponseExpectations {
  documentedLifetimeSeconds: number;
  knownDeviations: readonly KnownDeviation[];
  providerName: string;
  /** The request carried a DPoP proof (RFC 9449): then `token_type` DPoP is the expected answer. */
  dpopProofSent?: boolean;
}

export function parseTokenResponse(
  input: TokenResponseInput,
  expectations: TokenResponseExpectations,
): TokenResponseParseResult {
  const known = new Set(expectations.knownDeviations.map((d) => d.code));
  const deviations: TokenDeviation[] = [];
  const add = (code: string, field: string, severity: TokenDeviation['severity'], message: string) =>
    deviations.push({ code, field, severity, message, known: known.has(code) });

  if (!input.contentType || !/^application\/(?:[\w.+-]+\+)?json\b/i.test(input.contentType)) {
    add('content_type', 'Content-Type', 'warning', `RFC 6749 §5.1 answers with application/json; got ${input.contentType ?? 'no Content-Type'}.`);
  }
  if (!input.cacheControl || !/no-store/i.test(input.cacheControl)) {
    add('cache_control', 'Cache-Control', 'warning', 'RFC 6749 §5.1 requires "Cache-Control: no-store" on responses that carry tokens.');
  }

  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    return { ok: false, message: 'The token endpoint answered 200 but the body is not JSON.', deviations };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, message: 'The token endpoint answered 200 but the body is not a JSON object.', deviations };
  }
  const body = json as Record<string, unknown>;

  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    return { ok: false, message: 'The token response has no access_token string.', deviations };
  }

  let tokenType = 'Bearer';
  if (typeof body.token_type !== 'string') {
    add('token_type_missing', 'token_type', 'warning', 'RFC 6749 §5.1 requires token_type; assuming "Bearer".');
  } else {
    tokenType = body.token_type;
    const dpop = tokenType.toLowerCase() === 'dpop';
    if (dpop && !expectations.dpopProofSent) {
      add('dpop_without_proof', 'token_type', 'warning', 'token_type is DPoP, but the request carried no DPoP proof (RFC 9449 §5): the token is bound to no key the console holds.');
    } else if (dpop) {
      if (tokenType !== 'DPoP') add('token_type_case', 'token_type', 'info', `token_type is "${tokenType}". RFC 6749 §7.1 makes the type case-insensitive; RFC 9449 §5 spells it DPoP.`);
    } else if (expectations.dpopProofSent && tokenType.toLowerCase() === 'bearer') {
      add(
        'dpop_downgraded',
        'token_type',
        'warning',
        `The request carried a DPoP proof, but ${expectations.providerName} issued a ${tokenType} token: it is not sender-constrained, and anyone holding it can use it (RFC 9449 §5 allows this). The console sends it as Bearer.`,
      );
    } else if (tokenType.toLowerCase() !== 'bearer') {
      add('token_type_not_bearer', 'token_type', 'warning', `token_type is "${tokenType}", not Bearer: the console sends it as a Bearer token anyway.`);
    } else if (tokenType !== 'Bearer') {
      add('token_type_case', 'token_type', 'info', `token_type is "${tokenType}". RFC 6749 §7.1 makes the type case-insensitive, but send the header as "Bearer <token>".`);
    }
  }

  const jwt = decodeJwtParts(accessToken);
  const jwtLifetime =
    jwt && typeof jwt.claims.exp === 'number' && typeof jwt.claims.iat === 'number'
      ? jwt.claims.exp - jwt.claims.iat
      : undefined;

  const raw = body.expires_in;
  let expiresInSeconds: number;
  if (typeof raw === 'number' && Number.isFinite(raw) && raw > 0) {
    expiresInSeconds = raw;
    if (!Number.isInteger(raw)) {
      add('expires_in_float', 'expires_in', 'info', `expires_in is a fraction (${raw}); RFC 6749 §5.1 means whole seconds. Rounded down.`);
      expiresInSeconds = Math.floor(raw);
    }
  } else if (typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw)) {
    expiresInSeconds = Math.floor(Number(raw));
    add('expires_in_string', 'expires_in', 'info', `expires_in is the string "${raw}", not a number (RFC 6749 §5.1). Read as ${expiresInSeconds} seconds.`);
  } else if (raw === undefined) {
    expiresInSeconds = jwtLifetime ?? expectations.documentedLifetimeSeconds;
    add('expires_in_missing', 'expires_in', 'info', `No expires_in (it is RECOMMENDED by RFC 6749 §5.1). Using ${jwtLifetime !== undefined ? "the JWT's exp − iat" : `${expectations.providerName}'s documented lifetime`}: ${expiresInSeconds} s.`);
  } else {
    expiresInSeconds = jwtLifetime ?? expectations.documentedLifetimeSeconds;
    add('expires_in_invalid', 'expires_in', 'warning', `expires_in is ${JSON.stringify(raw)}, which is not a number of seconds. Using ${expiresInSeconds} s.`);
  }
  if (jwtLifetime !== undefined && Math.abs(jwtLifetime - expiresInSeconds) > 5) {
    add('expires_in_mismatch', 'expires_in', 'warning', `expires_in says ${expiresInSeconds} s but the JWT's exp − iat is ${jwtLifetime} s; the JWT's exp is what the API enforces.`);
  }

  const scope = typeof body.scope === 'string' ? body.scope : undefined;
  if (body.scope !== undefined && scope === undefined) {
    add('scope_not_string', 'scope', 'warning', 'scope should be a space-separated string (RFC 6749 §3.3).');
  }
  const refreshToken = typeof body.refresh_token === 'string' ? body.refresh_token : undefined;

  return {
    ok: true,
    value: { accessToken, tokenType, expiresInRaw: raw, expiresInSeconds, scope, refreshToken, deviations },
  };
}
