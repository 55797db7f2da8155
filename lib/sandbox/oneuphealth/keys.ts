import 'server-only';
import { createSigningKey, type SigningKey } from '../shared/signing-key';

/**
 * Generates a fresh RS256 key, as Keycloak's default `rsa-generated` key, with its JWK laid out as Keycloak lists
 * it in `…/openid-connect/certs`.
 */
export function createKeycloakSigningKey(): Promise<SigningKey> {
  return createSigningKey('RS256', (exported, kid, alg) => ({ kid, kty: exported.kty, alg, use: 'sig', n: exported.n, e: exported.e }));
}
