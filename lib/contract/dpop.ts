import { z } from 'zod';

/**
 * DPoP (RFC 9449) as the page sees it: a proof decoded (never the signed JWT, which a server would accept again
 * within its time window), the key's thumbprint, and how the token is bound to it. Zod only; both sides import it.
 */

/** The algorithms the console signs DPoP proofs with, in the order it prefers them (RFC 9449 §5.1 names none). */
export const CONSOLE_DPOP_ALGS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'] as const;
export type DpopAlg = (typeof CONSOLE_DPOP_ALGS)[number];

/** The DPoP proof a request carried, decoded. `ath` is shown only as whether it matches (a plain hash of the token is not shown, SECURITY.md rule 15). */
export const dpopProofDtoSchema = z.object({
  header: z.record(z.string(), z.unknown()),
  claims: z.record(z.string(), z.unknown()),
  /** RFC 7638 SHA-256 thumbprint of the proof's public key: what a bound token's `cnf.jkt` must equal. */
  jkt: z.string(),
  /** The proof answered a `use_dpop_nonce` challenge with the server's `DPoP-Nonce` (RFC 9449 §8, §9). */
  answersNonceChallenge: z.boolean().default(false),
});
export type DpopProofDto = z.infer<typeof dpopProofDtoSchema>;

/** How a token is sender-constrained: the key the console proves possession of, and what the token says it is bound to. */
export const dpopBindingDtoSchema = z.object({
  alg: z.string(),
  jkt: z.string(),
  /** `cnf.jkt` of a JWT access token (RFC 9449 §6.1); null when the token is opaque or carries none. */
  tokenJkt: z.string().nullable(),
  /** The proof sent with the token request that got this token. */
  proof: dpopProofDtoSchema.optional(),
});
export type DpopBindingDto = z.infer<typeof dpopBindingDtoSchema>;

/** The `ath` claim's value on the page: the proof carries the hash, the page says what it is of. */
export const ATH_SHOWN = 'BASE64URL(SHA-256(access token)) — matches the token sent';

/** RFC 9449 §5.1: `token_type` of a DPoP-bound access token (compared case-insensitively, RFC 6749 §5.1). */
export function isDpopTokenType(tokenType: string): boolean {
  return tokenType.toLowerCase() === 'dpop';
}

/** The scheme a token goes out with: `DPoP` and a proof for a DPoP-bound token (RFC 9449 §7.1), else `Bearer`. */
export type AuthorizationScheme = 'Bearer' | 'DPoP';

/** How the console's server sends a token it holds: bound (the token response carried `dpop`) or Bearer. */
export function authorizationSchemeOf(token: { dpop?: unknown } | undefined): AuthorizationScheme {
  return token?.dpop ? 'DPoP' : 'Bearer';
}

/** What a server's refusal of a DPoP proof is about (RFC 9449 §4.3's checks, §8–9 nonces, §7.1 the scheme). */
export type DpopProblem = 'required' | 'nonce' | 'replay' | 'htm' | 'htu' | 'iat' | 'ath' | 'key_binding' | 'bound_as_bearer' | 'other';

const DPOP_PROBLEMS: { problem: DpopProblem; pattern: RegExp; fix: string }[] = [
  {
    problem: 'bound_as_bearer',
    pattern: /dpop-bound|bound to a (dpop )?key|sent as bearer|cnf\.?jkt/i,
    fix: 'A DPoP token is useless without its key: it goes as "Authorization: DPoP <token>" with a fresh proof whose ath is the token’s hash (RFC 9449 §7.1), never as Bearer.',
  },
  {
    problem: 'required',
    pattern: /(proof|dpop)[^.]*required|dpop_bound_access_tokens|must (carry|send|include) a dpop/i,
    fix: 'This client is registered to use DPoP (dpop_bound_access_tokens, RFC 9449 §5.2): every token request needs a proof. Turn DPoP on for it.',
  },
  {
    problem: 'nonce',
    pattern: /nonce/i,
    fix: 'The server wants its own nonce in the proof (RFC 9449 §8): it gives one in DPoP-Nonce with use_dpop_nonce, and the console answers once with it. A nonce refused again has expired or belongs to another server.',
  },
  {
    problem: 'replay',
    pattern: /replay|jti[^.]*(used|seen)|(used|seen)[^.]*jti/i,
    fix: 'Every proof needs a new jti: a server keeps the ones it saw and refuses a proof sent twice (RFC 9449 §11.1). The console makes a new proof for every request, so a repeat means a proxy or a retry resent one.',
  },
  {
    problem: 'htm',
    pattern: /\bhtm\b/i,
    fix: 'htm must be the request’s method (RFC 9449 §4.2): POST for the token endpoint, the FHIR request’s own method at the API.',
  },
  {
    problem: 'htu',
    pattern: /\bhtu\b/i,
    fix: 'htu must be the exact URL the request went to, without query or fragment (RFC 9449 §4.2). A proxy or load balancer that rewrites the host or path makes the server see another URL than the one signed.',
  },
  {
    problem: 'iat',
    pattern: /\biat\b|recent|clock|skew|too old|in the future/i,
    fix: 'iat says when the proof was made; servers take it only within a short window (RFC 9449 §11.1). Check this machine’s clock; a server that can, asks for a nonce instead.',
  },
  {
    problem: 'ath',
    pattern: /\bath\b/i,
    fix: 'ath must be BASE64URL(SHA-256(access token)) of the very token sent with it (RFC 9449 §4.2); a proof made for another token is refused.',
  },
  {
    problem: 'key_binding',
    pattern: /key binding|signature|jwk|typ|\balg\b|thumbprint|jkt/i,
    fix: 'The proof must be a dpop+jwt signed by the key in its own jwk header, with an algorithm the server lists in dpop_signing_alg_values_supported; a token bound to one key cannot be used with another (RFC 9449 §4.3).',
  },
];

/** Which DPoP check a server's words are about, and what to do; `other` when they name none. */
export function explainDpopProblem(description: string | undefined): { problem: DpopProblem; fix: string } {
  const text = description ?? '';
  const found = DPOP_PROBLEMS.find((entry) => entry.pattern.test(text));
  return found
    ? { problem: found.problem, fix: found.fix }
    : { problem: 'other', fix: 'The server refused the DPoP proof without saying which check failed; compare the decoded proof below with RFC 9449 §4.3.' };
}

/**
 * Whether an answer is a DPoP nonce challenge (RFC 9449 §8: 400 `use_dpop_nonce` from an authorization server; §9: 401
 * with a DPoP challenge naming it from a resource server): a step of the protocol the console answers, not a failure.
 */
export function isNonceChallenge(answer: { status: number | null; headers: readonly (readonly [string, string])[]; body: string | null }): boolean {
  const challenge = answer.headers.find(([name]) => name.toLowerCase() === 'www-authenticate')?.[1] ?? '';
  if (answer.status === 401) return /(^|,)\s*dpop\b[^]*use_dpop_nonce/i.test(challenge);
  if (answer.status !== 400 || !answer.body) return false;
  try {
    return (JSON.parse(answer.body) as { error?: unknown }).error === 'use_dpop_nonce';
  } catch {
    return false;
  }
}

/** The `error` and `error_description` of a DPoP challenge in WWW-Authenticate (RFC 9449 §7.1), when there is one. */
export function dpopChallengeOf(wwwAuthenticate: string | undefined): { error?: string; description?: string } | null {
  if (!wwwAuthenticate || !/(^|,)\s*dpop\b/i.test(wwwAuthenticate)) return null;
  const dpopPart = wwwAuthenticate.slice(wwwAuthenticate.search(/(^|,)\s*dpop\b/i));
  return {
    error: /error="([^"]*)"/.exec(dpopPart)?.[1],
    description: /error_description="([^"]*)"/.exec(dpopPart)?.[1],
  };
}
