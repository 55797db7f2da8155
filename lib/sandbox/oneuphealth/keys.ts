import 'server-only';
import { sharedSigningKey, type PublicJwkLayout, type SigningKey } from '../shared/signing-key';
import type { SandboxState } from '../shared/state';

/** The realm key's JWK as Keycloak lists it in `…/openid-connect/certs`. */
export const keycloakJwkLayout: PublicJwkLayout = (exported, kid, alg) => ({ kid, kty: exported.kty, alg, use: 'sig', n: exported.n, e: exported.e });

/**
 * A getter for the realm's RS256 key, as Keycloak's default `rsa-generated` key, that every instance sharing `state`
 * signs with (the first to need it makes it).
 */
export function sharedKeycloakSigningKey(state: SandboxState): () => Promise<SigningKey> {
  return sharedSigningKey(state, 'signing-key', 'RS256', keycloakJwkLayout);
}
