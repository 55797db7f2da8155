import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The RS512 key pair one sandbox instance signs its access tokens with. */
export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string;
  /** Public half as a JWK with `kid`, `alg` and `use`, ready for a JWKS. */
  publicJwk: JWK;
}

/** Generates a fresh RS512 signing key; `kid` is the RFC 7638 thumbprint of the public key. */
export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS512', { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  return { privateKey, publicKey, kid, publicJwk: { ...exported, kid, alg: 'RS512', use: 'sig' } };
}

/**
 * The public JWKS of the signing key. Real BCDA publishes no JWKS (it checks tokens by SSAS introspection);
 * the built-in sandbox adds one so the console can verify the signatures of the tokens it mints.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function createJwks(key: SigningKey): { keys: JWK[] } {
  return { keys: [key.publicJwk] };
}
