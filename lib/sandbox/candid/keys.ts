import 'server-only';
import { exportSPKI } from 'jose';
import { createSigningKey, type SigningKey } from '../shared/signing-key';

/** The RS256 key pair one sandbox instance signs its access tokens with, as Auth0 signs Candid's. */
export interface CandidSigningKey extends SigningKey {
  /** Public half as a PEM `PUBLIC KEY` (SPKI). */
  publicPem: string;
}

/** Generates a fresh RS256 signing key with its PEM; `kid` is the RFC 7638 thumbprint of the public key. */
export async function createCandidSigningKey(): Promise<CandidSigningKey> {
  const key = await createSigningKey('RS256');
  return { ...key, publicPem: await exportSPKI(key.publicKey) };
}
