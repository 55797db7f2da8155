import 'server-only';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SandboxState } from './state';

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
  return () =>
    (key ??= create().catch((error: unknown) => {
      // A failed creation (Redis away while the shared key was read) is tried again by the next request.
      key = undefined;
      throw error;
    }));
}

/** How long a shared signing key is kept in the state store: far longer than any token it signs lives. */
export const sharedSigningKeyLifetimeMs = 365 * 24 * 60 * 60 * 1000;

interface StoredSigningKey {
  alg: SigningAlgorithm;
  kid: string;
  publicJwk: JWK;
  privateJwk: JWK;
}

/**
 * A getter for the key every instance sharing `state` signs with: the first instance to need one generates it and
 * stores it (sealed, on Redis); the others, and a restarted instance, read it. Without this, a token signed by one
 * instance would fail the JWKS served by another.
 */
export function sharedSigningKey(
  state: SandboxState,
  name: string,
  alg: SigningAlgorithm,
  layout: PublicJwkLayout = defaultLayout,
): () => Promise<SigningKey> {
  return lazySigningKey(async () => {
    const restore = async (stored: StoredSigningKey): Promise<SigningKey> => ({
      privateKey: (await importJWK(stored.privateJwk, stored.alg, { extractable: true })) as CryptoKey,
      publicKey: (await importJWK({ kty: stored.publicJwk.kty, n: stored.publicJwk.n, e: stored.publicJwk.e }, stored.alg, { extractable: true })) as CryptoKey,
      kid: stored.kid,
      publicJwk: stored.publicJwk,
    });
    const existing = await state.get<StoredSigningKey>(name);
    if (existing) return restore(existing);
    const created = await createSigningKey(alg, layout);
    const stored: StoredSigningKey = { alg, kid: created.kid, publicJwk: created.publicJwk, privateJwk: await exportJWK(created.privateKey) };
    if (await state.setIfAbsent(name, stored, sharedSigningKeyLifetimeMs)) return created;
    // Another instance stored its key first: sign with that one.
    const winner = await state.get<StoredSigningKey>(name);
    return winner ? restore(winner) : created;
  });
}

/**
 * The public JWKS of a signing key.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function createJwks(key: SigningKey): { keys: JWK[] } {
  return { keys: [key.publicJwk] };
}
