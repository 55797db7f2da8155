import 'server-only';
import { errors, jwtVerify } from 'jose';
import type { OneUpContext } from './context';
import { findKeycloakClient, type KeycloakClient } from './clients';
import { hasBulkDataScope, realmPath } from './keycloak-token';
import { operationOutcome } from './responses';

const bearerPattern = /^Bearer\s+(\S+)$/i;

/** The bearer token of a request, or undefined when there is none in the RFC 6750 §2.1 form. */
export function getBearerToken(request: Request): string | undefined {
  return bearerPattern.exec(request.headers.get('authorization') ?? '')?.[1];
}

/** 401 with an OperationOutcome and the RFC 6750 §3 challenge. */
export function unauthorized(diagnostics: string, error?: 'invalid_token'): Response {
  const challenge = error ? `Bearer realm="1up", error="${error}", error_description="${diagnostics}"` : 'Bearer realm="1up"';
  return operationOutcome(401, 'login', diagnostics, { 'WWW-Authenticate': challenge });
}

/**
 * Authenticates a call to the bison FHIR and bulk server with a dev-portal Keycloak token: RS256 signature by
 * this instance's realm key, `exp` against the injected clock, `typ: "Bearer"`, a known `azp`, and the
 * `bulk-data|user/*.rs` client scope (403 without it). The issuer's host is not compared, so a token minted on
 * 127.0.0.1 also works on localhost.
 */
export async function authenticateKeycloakBearer(
  context: OneUpContext,
  request: Request,
): Promise<{ client: KeycloakClient } | { response: Response }> {
  const token = getBearerToken(request);
  if (!token) return { response: unauthorized('Missing bearer token') };
  let payload;
  try {
    ({ payload } = await jwtVerify(token, (await context.getSigningKey()).publicKey, {
      algorithms: ['RS256'],
      typ: 'JWT',
      requiredClaims: ['exp', 'iat', 'azp'],
      currentDate: new Date(context.now()),
    }));
  } catch (error) {
    const expired = error instanceof errors.JWTExpired;
    return { response: unauthorized(expired ? 'Token is expired' : 'Token is not valid', 'invalid_token') };
  }
  const client = typeof payload.azp === 'string' ? findKeycloakClient(payload.azp) : undefined;
  if (!client || payload.typ !== 'Bearer' || typeof payload.iss !== 'string' || !payload.iss.endsWith(realmPath)) {
    return { response: unauthorized('Token is not valid', 'invalid_token') };
  }
  if (!hasBulkDataScope(payload.scope)) {
    return { response: operationOutcome(403, 'forbidden', 'The token lacks the bulk-data|user/*.rs scope; ask for it at the token endpoint.') };
  }
  return { client };
}
