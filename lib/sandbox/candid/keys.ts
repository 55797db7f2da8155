import { calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';

/** The RS256 key pair one sandbox instance signs its access tokens with, as Auth0 signs Candid's. */
export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string;
  /** Public half as a JWK with `kid`, `alg` and `use`, ready for a JWKS. */
  publicJwk: JWK;
  /** Public half as a PEM `PUBLIC KEY` (SPKI). */
  publicPem: string;
}

/** Generates a fresh RS256 signing key; `kid` is the RFC 7638 thumbprint of the public key. */
export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  return {
    privateKey,
    publicKey,
    kid,
    publicJwk: { ...exported, kid, alg: 'RS256', use: 'sig' },
    publicPem: await exportSPKI(publicKey),
  };
}

/**
 * The public JWKS of the signing key. Candid's docs point to a PEM on its Auth0 tenant
 * (https://candidhealth.auth0.com/pem), not to a JWKS on the API host; the built-in sandbox adds this one so the
 * console can verify the tokens it mints.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function createJwks(key: SigningKey): { keys: JWK[] } {
  return { keys: [key.publicJwk] };
}
