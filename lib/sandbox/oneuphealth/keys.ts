import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The RS256 key pair a Keycloak realm signs its tokens with (Keycloak's default `rsa-generated` key). */
export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string;
  /** Public half as a JWK with `kid`, `alg` and `use`, as Keycloak lists it in `…/openid-connect/certs`. */
  publicJwk: JWK;
}

/** Generates a fresh RS256 key; `kid` is the RFC 7638 thumbprint of the public key. */
export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  return { privateKey, publicKey, kid, publicJwk: { kid, kty: exported.kty, alg: 'RS256', use: 'sig', n: exported.n, e: exported.e } };
}

/**
 * The realm's JWKS. Real Keycloak also lists `x5c`/`x5t` (a self-signed certificate) and an RSA-OAEP
 * encryption key; the sandbox publishes only the signing key, which is all a verifier needs.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function createJwks(key: SigningKey): { keys: JWK[] } {
  return { keys: [key.publicJwk] };
}
