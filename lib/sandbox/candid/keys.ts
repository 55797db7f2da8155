import 'server-only';
import { exportSPKI } from 'jose';
import { lazySigningKey, sharedSigningKey, type SigningKey } from '../shared/signing-key';
import type { SandboxState } from '../shared/state';

/** The RS256 key pair the sandbox signs its access tokens with, as Auth0 signs Candid's. */
export interface CandidSigningKey extends SigningKey {
  /** Public half as a PEM `PUBLIC KEY` (SPKI). */
  publicPem: string;
}

/**
 * A getter for the RS256 signing key, with its PEM, that every instance sharing `state` signs with (the first to need
 * it makes it); `kid` is the RFC 7638 thumbprint of the public key.
 */
export function sharedCandidSigningKey(state: SandboxState): () => Promise<CandidSigningKey> {
  const getKey = sharedSigningKey(state, 'signing-key', 'RS256');
  return lazySigningKey(async () => {
    const key = await getKey();
    return { ...key, publicPem: await exportSPKI(key.publicKey) };
  });
}
