import 'server-only';
/** Secrets the sandbox hands out, and the comparisons it makes on them. */

import { secretsEqual, sha256 } from '../shared/credentials';

export { secretsEqual };

/**
 * A Doorkeeper-style token: 32 random bytes as unpadded base64url, 43 characters (`SecureRandom.urlsafe_base64(32)`).
 * Used for authorization codes, access and refresh tokens, and the hidden id of a pending authorization.
 */
export function randomToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

/**
 * The PKCE check Doorkeeper makes: S256 compares BASE64URL(SHA256(verifier)) with the challenge, plain compares
 * them as they are.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
export async function verifierMatches(verifier: string, challenge: string, method: 'S256' | 'plain'): Promise<boolean> {
  const computed = method === 'S256' ? Buffer.from(await sha256(verifier)).toString('base64url') : verifier;
  return secretsEqual(computed, challenge);
}
