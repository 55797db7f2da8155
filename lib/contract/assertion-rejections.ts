import { z } from 'zod';

/**
 * Why a client assertion (RFC 7523 JWT client authentication, as profiled by SMART Backend Services) is
 * refused, in plain words with a fix. Isomorphic: the page renders these, the sandbox and the verifier emit them.
 *
 * @see https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export const assertionRejectionCodes = [
  'malformed_assertion',
  'wrong_assertion_type',
  'wrong_typ',
  'wrong_alg',
  'missing_kid',
  'unknown_kid',
  'bad_signature',
  'iss_not_sub',
  'iss_not_client_id',
  'wrong_aud',
  'missing_exp',
  'expired',
  'exp_too_far',
  'issued_in_future',
  'missing_jti',
  'replayed_jti',
  'unexplained',
] as const;

export const assertionRejectionCodeSchema = z.enum(assertionRejectionCodes);
export type AssertionRejectionCode = z.infer<typeof assertionRejectionCodeSchema>;

export const assertionRejectionSchema = z.object({
  code: assertionRejectionCodeSchema,
  message: z.string().describe('What is wrong, in plain words'),
  fix: z.string().describe('What to change so the next assertion is accepted'),
  expected: z.string().optional(),
  got: z.string().optional(),
});
export type AssertionRejection = z.infer<typeof assertionRejectionSchema>;

/** The generic message and fix for each code, used when a provider only hints at the cause. */
export const assertionRejectionCatalogue: Record<AssertionRejectionCode, { message: string; fix: string }> = {
  malformed_assertion: {
    message: 'The client assertion is not a signed JWT (three base64url parts with a JSON header and claims).',
    fix: 'Send the compact JWT the console minted, unchanged, in the client_assertion form field.',
  },
  wrong_assertion_type: {
    message: 'client_assertion_type is not the JWT bearer type, so the server does not read the assertion as a JWT.',
    fix: 'Send client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer.',
  },
  wrong_typ: {
    message: 'The JWT header "typ" must be "JWT" for SMART Backend Services.',
    fix: 'Sign with the header typ: "JWT".',
  },
  wrong_alg: {
    message: 'The assertion is signed with an algorithm the server does not accept for this client.',
    fix: 'Sign with the algorithm registered for the key (RS384 for RSA keys, ES384 for P-384 keys); "none" is never accepted.',
  },
  missing_kid: {
    message: 'The JWT header names no "kid", so the server cannot tell which of your public keys to check against.',
    fix: 'Put the key id of the signing key (its JWK thumbprint in this console) in the header "kid".',
  },
  unknown_kid: {
    message: 'The "kid" in the header is not in the JWKS the server has for this client.',
    fix: 'Register the console\'s JWKS URL (or upload its current JWKS) at the provider, or sign with a key it already has. Servers cache JWKS: a new key may take a while to be seen.',
  },
  bad_signature: {
    message: 'The signature does not match the public key with that "kid": the assertion was altered, or signed with a different private key.',
    fix: 'Sign with the private key whose public half is published under that kid; re-import the key if it was replaced.',
  },
  iss_not_sub: {
    message: 'The "iss" and "sub" claims differ; both must be the client id.',
    fix: 'Set iss and sub to the same value: the client id the provider issued.',
  },
  iss_not_client_id: {
    message: 'The "iss" claim is not the client id the server knows.',
    fix: 'Use the client id issued at registration for iss and sub (a typo or an id from another environment looks like this).',
  },
  wrong_aud: {
    message: 'The "aud" claim is not this server\'s token endpoint URL.',
    fix: 'Set aud to the exact token endpoint URL from the provider\'s SMART configuration (scheme, host, path, no trailing slash changes).',
  },
  missing_exp: {
    message: 'The assertion has no "exp" claim.',
    fix: 'Set exp to at most five minutes after the time of signing.',
  },
  expired: {
    message: 'The assertion has expired ("exp" is in the past), or the clocks of the console and the server disagree.',
    fix: 'Mint a fresh assertion for every token request; check the server clock if a fresh one is refused.',
  },
  exp_too_far: {
    message: 'The assertion lives too long: SMART Backend Services allows "exp" at most five minutes in the future.',
    fix: 'Set exp no more than 300 seconds after now.',
  },
  issued_in_future: {
    message: 'The "iat" claim is in the future, so the clocks disagree.',
    fix: 'Check the system clock of the machine that signs; set iat to now.',
  },
  missing_jti: {
    message: 'The assertion has no "jti", so the server cannot detect replays and refuses it.',
    fix: 'Put a fresh random value (128 bits or more) in jti for every assertion.',
  },
  replayed_jti: {
    message: 'This "jti" was already used: a client assertion is good for one token request only.',
    fix: 'Mint a new assertion (with a new jti) for every token request; never reuse or cache one.',
  },
  unexplained: {
    message: 'The server refused the client authentication without saying why.',
    fix: 'Check, in this order: aud is the exact token URL; kid is in the JWKS registered at the provider; iss = sub = client id; exp within five minutes; a new jti; alg RS384 or ES384.',
  },
};

/** A rejection with the catalogue's words, optionally sharpened with what was expected and what came. */
export function assertionRejection(
  code: AssertionRejectionCode,
  detail: { message?: string; fix?: string; expected?: string; got?: string } = {},
): AssertionRejection {
  const base = assertionRejectionCatalogue[code];
  return {
    code,
    message: detail.message ?? base.message,
    fix: detail.fix ?? base.fix,
    ...(detail.expected !== undefined ? { expected: detail.expected } : {}),
    ...(detail.got !== undefined ? { got: detail.got } : {}),
  };
}

export interface AssertionRejectionExplanation {
  /** The OAuth `error` code, when the body had one. */
  error?: string;
  description?: string;
  /** Whether the error is about client authentication at all (`invalid_client`, or a 401-style phrasing). */
  aboutClientAuthentication: boolean;
  /** Likely causes, best match first; `unexplained` alone when the words name none. */
  reasons: AssertionRejection[];
}

// Phrasings seen from token endpoints (oidc-provider, Keycloak, Epic, Cerner/Oracle Health, Spring Authorization
// Server, HAPI/SMART reference servers); order matters: the more specific pattern first.
const phrasings: { code: AssertionRejectionCode; pattern: RegExp }[] = [
  { code: 'wrong_assertion_type', pattern: /client_assertion_type|assertion[ _-]?type/ },
  { code: 'replayed_jti', pattern: /replay|(jti|token|assertion)[^.]*(already (been )?used|reuse|used more than once|only be used once|seen before)|token reuse/ },
  { code: 'missing_jti', pattern: /(jti|jwt id)[^.]*(missing|must be provided|required)|(missing|no)[^.]*\bjti\b/ },
  { code: 'exp_too_far', pattern: /too far in the future|(exp|expiration|lifetime|validity)[^.]*(too long|exceeds|greater than|more than|maximum)|max(imum)? (lifetime|expiration)/ },
  { code: 'missing_exp', pattern: /(expiration|\bexp\b)[^.]*(must be specified|missing|must be provided|required)/ },
  { code: 'expired', pattern: /expired|not active|jwt is expired|\bexp\b[^.]*(past|passed)|too old|stale/ },
  { code: 'issued_in_future', pattern: /\biat\b[^.]*future|issued in the future|used before issued/ },
  { code: 'iss_not_sub', pattern: /\biss\b[^.]*\bsub\b|\bsub\b[^.]*\biss\b|issuer[^.]*subject|subject[^.]*issuer/ },
  { code: 'wrong_aud', pattern: /\baud\b|audience/ },
  { code: 'unknown_kid', pattern: /\bkid\b|key id|no matching key|(unable to|could not|cannot) (find|load|locate|resolve)[^.]*key|public key[^.]*not (found|registered)|jwks?\b|jwk set/ },
  { code: 'wrong_alg', pattern: /\balg\b|algorithm/ },
  { code: 'bad_signature', pattern: /signature|failed validation|not verified|verification failed/ },
  { code: 'iss_not_client_id', pattern: /\biss\b|issuer|client not found|unknown client|client_id|client id/ },
];

/**
 * Maps a token endpoint's error body (RFC 6749 §5.2 JSON, or plain text) to the likely assertion problems, in
 * plain words. Providers phrase these differently and often say only `invalid_client`; then every usual cause
 * is listed under `unexplained`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3.2
 */
export function explainAssertionRejection(body: unknown): AssertionRejectionExplanation {
  const { error, description } = readErrorBody(body);
  const words = [description, error && !/^invalid_client$/i.test(error) ? error : undefined]
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .join(' ')
    .toLowerCase();
  const codes: AssertionRejectionCode[] = [];
  for (const { code, pattern } of phrasings) {
    if (words && pattern.test(words) && !codes.includes(code)) codes.push(code);
  }
  // The issuer / client-id pattern is broad ("iss" appears in many messages): it counts only when nothing more
  // specific matched.
  const specific = codes.filter((c) => c !== 'iss_not_client_id' || codes.length === 1);
  const reasons = specific.length > 0 ? specific.map((c) => assertionRejection(c)) : [assertionRejection('unexplained')];
  const said = description ? `The server said: "${description}".` : undefined;
  return {
    ...(error ? { error } : {}),
    ...(description ? { description } : {}),
    aboutClientAuthentication:
      error === 'invalid_client' || error === 'unauthorized_client' || /client auth|client assertion|signed jwt/.test(words),
    reasons: said ? reasons.map((r) => ({ ...r, message: `${r.message} ${said}` })) : reasons,
  };
}

function readErrorBody(body: unknown): { error?: string; description?: string } {
  let value: unknown = body;
  if (typeof body === 'string') {
    const text = body.trim();
    try {
      value = JSON.parse(text);
    } catch {
      return text ? { description: text.slice(0, 500) } : {};
    }
  }
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const error = typeof record.error === 'string' ? record.error : undefined;
  const descriptionValue = record.error_description ?? record.error_detail ?? record.message;
  const description = typeof descriptionValue === 'string' && descriptionValue.trim() ? descriptionValue.trim().slice(0, 500) : undefined;
  return { ...(error ? { error } : {}), ...(description ? { description } : {}) };
}
