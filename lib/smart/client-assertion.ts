import 'server-only';
import { importJWK, SignJWT } from 'jose';
import type { StoredClientKey } from './client-keys';
import { JWT_BEARER_ASSERTION_TYPE, MAX_ASSERTION_LIFETIME_SECONDS } from '@/lib/contract/oauth';

export interface ClientAssertionHeader {
  alg: StoredClientKey['alg'];
  kid: string;
  typ: 'JWT';
  jku?: string;
}

export interface ClientAssertionClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  jti: string;
}

export interface MintedClientAssertion {
  /** The compact JWS, sent as `client_assertion`. Server-side only: it authenticates the client for its lifetime. */
  assertion: string;
  /** Decoded, for display. */
  header: ClientAssertionHeader;
  claims: ClientAssertionClaims;
}

export interface MintClientAssertionInput {
  key: StoredClientKey;
  clientId: string;
  /** The token endpoint URL, used verbatim as `aud`. */
  tokenUrl: string;
  now?: Date;
  /** Seconds until `exp`; default and maximum 300. */
  lifetimeSeconds?: number;
  /** A caller-chosen `jti` (tests, the sandbox's replay demo); by default 256 random bits. */
  jti?: string;
  /** The JWKS URL registered at the provider, sent as the optional `jku` header when given. */
  jku?: string;
}

/**
 * Mints a client assertion for one token request: header `{ alg, kid, typ: "JWT" }` (and `jku` when asked), claims
 * `iss` = `sub` = client id, `aud` = the exact token URL, `exp` at most five minutes ahead, `iat`, a fresh `jti`.
 *
 * @see https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html#authenticating-to-the-token-endpoint
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export async function mintClientAssertion(input: MintClientAssertionInput): Promise<MintedClientAssertion> {
  const clientId = input.clientId.trim();
  if (!clientId) throw new TypeError('clientId is required: it is both iss and sub of the assertion');
  const aud = absoluteUrl(input.tokenUrl, 'tokenUrl');
  const jku = input.jku === undefined ? undefined : absoluteUrl(input.jku, 'jku');
  const requested = input.lifetimeSeconds ?? MAX_ASSERTION_LIFETIME_SECONDS;
  if (!Number.isFinite(requested) || requested <= 0) throw new RangeError('lifetimeSeconds must be a positive number');
  const lifetime = Math.min(Math.floor(requested), MAX_ASSERTION_LIFETIME_SECONDS);
  const jti = input.jti ?? randomJti();
  if (!jti) throw new TypeError('jti must not be empty');

  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const header: ClientAssertionHeader = { alg: input.key.alg, kid: input.key.kid, typ: 'JWT', ...(jku ? { jku } : {}) };
  const claims: ClientAssertionClaims = { iss: clientId, sub: clientId, aud, exp: iat + lifetime, iat, jti };
  const privateKey = await importJWK(input.key.privateJwk, input.key.alg);
  const assertion = await new SignJWT({ ...claims }).setProtectedHeader({ ...header }).sign(privateKey);
  return { assertion, header, claims };
}

/**
 * The form body of a SMART Backend Services token request (`application/x-www-form-urlencoded`).
 *
 * @see https://hl7.org/fhir/smart-app-launch/backend-services.html#request
 */
export function backendServicesTokenForm(input: { assertion: string; scope: string }): URLSearchParams {
  return new URLSearchParams([
    ['grant_type', 'client_credentials'],
    ['scope', input.scope],
    ['client_assertion_type', JWT_BEARER_ASSERTION_TYPE],
    ['client_assertion', input.assertion],
  ]);
}

/** 256 random bits, base64url: far beyond the 128 bits that make a collision negligible. */
function randomJti(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}

function absoluteUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`${name} must be an http(s) URL`);
  // Kept verbatim, not `url.href`: `aud` must match the server's string exactly, and normalising could change it.
  return value;
}
