import 'server-only';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The RSA signature algorithms the sandboxes sign their tokens with. */
export type SigningAlgorithm = 'RS256' | 'RS512';

/** The key pair one sandbox instance signs its tokens with. */
export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string;
  /** Public half as a JWK with `kid`, `alg` and `use`, ready for a JWKS. */
  publicJwk: JWK;
}

/** Builds the published JWK from the exported public key; the default keeps jose's members, then `kid`, `alg`, `use`. */
export type PublicJwkLayout = (exported: JWK, kid: string, alg: SigningAlgorithm) => JWK;

const defaultLayout: PublicJwkLayout = (exported, kid, alg) => ({ ...exported, kid, alg, use: 'sig' });

/** Generates a fresh RSA signing key for `alg`; `kid` is the RFC 7638 thumbprint of the public key. */
export async function createSigningKey(alg: SigningAlgorithm, layout: PublicJwkLayout = defaultLayout): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  return { privateKey, publicKey, kid, publicJwk: layout(exported, kid, alg) };
}

/**
 * A getter that creates the key on first use and returns the same one after, so an instance that never signs
 * never pays for RSA key generation.
 */
export function lazySigningKey<K extends SigningKey>(create: () => Promise<K>): () => Promise<K> {
  let key: Promise<K> | undefined;
  return () => (key ??= create());
}

/**
 * The public JWKS of a signing key.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function createJwks(key: SigningKey): { keys: JWK[] } {
  return { keys: [key.publicJwk] };
}
