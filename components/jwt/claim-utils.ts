import { epochToMs } from '@/lib/client/relative-time';

/** RFC 7519 §4.1 NumericDate claims, plus OIDC `auth_time`. */
export const TIME_CLAIMS: ReadonlySet<string> = new Set(['exp', 'iat', 'nbf', 'auth_time']);

/** Short meanings of registered claims (RFC 7519 §4.1, OIDC, RFC 8693); a provider's own come from its file. */
export const CLAIM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  iss: 'issuer: who minted the token',
  sub: 'subject: who the token is about',
  aud: 'audience: who should accept it',
  exp: 'expires at',
  iat: 'issued at',
  nbf: 'not valid before',
  jti: 'token id, unique per token',
  auth_time: 'when the user authenticated',
  scope: 'granted scopes',
  scp: 'granted scopes',
  azp: 'authorized party (client)',
  client_id: 'client id',
};

/** RFC 7515 §4.1 JOSE header parameters. */
export const HEADER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  alg: 'signature algorithm',
  kid: 'key id: which key signed it',
  typ: 'media type of the token',
  cty: 'content type',
  jku: 'URL of the signing key set',
  x5t: 'certificate thumbprint',
};

export type ClaimDisplay =
  | { kind: 'time'; ms: number; raw: number }
  | { kind: 'json'; value: unknown; fromString: boolean }
  | { kind: 'text'; text: string };

/**
 * How to show a claim: NumericDates as times, objects and JSON-in-a-string (BCDA's `dat`) as parsed JSON,
 * everything else as text.
 */
export function describeClaimValue(name: string, value: unknown): ClaimDisplay {
  if (TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) {
    return { kind: 'time', ms: epochToMs(value), raw: value };
  }
  if (value !== null && typeof value === 'object') return { kind: 'json', value, fromString: false };
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
      try {
        return { kind: 'json', value: JSON.parse(trimmed) as unknown, fromString: true };
      } catch {
        // Not JSON after all: show it verbatim.
      }
    }
    return { kind: 'text', text: value };
  }
  return { kind: 'text', text: value === undefined ? 'undefined' : JSON.stringify(value) };
}

/** Claims in reading order: registered claims first (as RFC 7519 lists them), then the rest as sent. */
export function orderClaims(claims: Record<string, unknown>): Array<[string, unknown]> {
  const registered = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'];
  const entries = Object.entries(claims);
  const rank = (name: string) => {
    const index = registered.indexOf(name);
    return index < 0 ? registered.length : index;
  };
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => rank(a.entry[0]) - rank(b.entry[0]) || a.index - b.index)
    .map(({ entry }) => entry);
}
