import 'server-only';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { SigningKey } from '../shared/signing-key';
import type { ServerUrls, SmartContext } from './context';
import { randomId } from './context';

/**
 * The sandbox's JWTs: access tokens (RS256, `aud` = the FHIR base) and OpenID Connect id_tokens, both signed with
 * the key published at `/.well-known/jwks.json`.
 */

export interface AccessTokenInput {
  clientId: string;
  scopes: readonly string[];
  lifetimeSeconds: number;
  /** Backend Services: the client itself; a user grant: the user's name. */
  subject: string;
  /** The patient in context for patient/ scopes. */
  patientId?: string;
  /** The DPoP key's thumbprint: the token is bound to it as `cnf.jkt` (RFC 9449 §6.1). */
  jkt?: string;
}

/** Signs an access token; `jti` is returned so a user grant can be tied to its family. */
export async function mintAccessToken(key: SigningKey, urls: ServerUrls, nowMs: number, input: AccessTokenInput): Promise<{ token: string; jti: string }> {
  const jti = randomId();
  const iat = Math.floor(nowMs / 1000);
  const claims: JWTPayload = { client_id: input.clientId, scope: input.scopes.join(' ') };
  if (input.patientId) claims.patient = input.patientId;
  if (input.jkt) claims.cnf = { jkt: input.jkt };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(urls.issuer)
    .setSubject(input.subject)
    .setAudience(urls.fhirBase)
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.lifetimeSeconds)
    .setJti(jti)
    .sign(key.privateKey);
  return { token, jti };
}

/**
 * An OpenID Connect id_token: `iss`, `sub`, `aud` = the client, `exp`, `iat`, `fhirUser` when that scope was
 * granted, the authorize request's `nonce`, and a random `jti` (RFC 7519 §4.1.7) so that two sign-ins in the same
 * second never share one (RS256 signs deterministically).
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#scopes-for-requesting-identity-data
 */
export async function mintIdToken(
  key: SigningKey,
  urls: ServerUrls,
  nowMs: number,
  input: { clientId: string; subject: string; fhirUser?: string; nonce?: string },
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  const claims: JWTPayload = {};
  if (input.fhirUser) claims.fhirUser = input.fhirUser;
  if (input.nonce) claims.nonce = input.nonce;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(urls.issuer)
    .setSubject(input.subject)
    .setAudience(input.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .setJti(randomId())
    .sign(key.privateKey);
}

/** What a verified access token grants. */
export interface VerifiedAccessToken {
  clientId: string;
  scopes: string[];
  subject: string;
  patientId?: string;
  jti: string;
  expiresAt: number;
  issuedAt: number;
  issuer: string;
  audience: string;
  /** RFC 9449 §6.1 `cnf.jkt` of a DPoP-bound token. */
  jkt?: string;
}

/**
 * Verifies an access token minted by this instance: signature, `exp` against the injected clock, and an `aud`
 * whose path is this sandbox's FHIR base. The host is not compared: the same sandbox is reached as localhost by
 * the browser and as 127.0.0.1 by the console's server, and the signature already proves who minted the token.
 */
export async function verifyAccessToken(
  context: SmartContext,
  token: string,
): Promise<{ token: VerifiedAccessToken } | { problem: string }> {
  const key = await context.getSigningKey();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['RS256'],
      typ: 'at+jwt',
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope'],
      currentDate: new Date(context.now()),
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { problem: 'The access token has expired.' };
    return { problem: 'The access token is not one this server issued (bad signature or malformed).' };
  }
  const audience = typeof payload.aud === 'string' ? payload.aud : '';
  let audiencePath = '';
  try {
    audiencePath = new URL(audience).pathname;
  } catch {
    // Not a URL: refused below.
  }
  if (audiencePath !== `${context.mountPath}/fhir`) return { problem: `The access token is for ${audience || 'another audience'}, not this FHIR server.` };
  const cnf = payload.cnf as { jkt?: unknown } | undefined;
  return {
    token: {
      clientId: String(payload.client_id),
      scopes: String(payload.scope).split(' ').filter(Boolean),
      subject: String(payload.sub),
      ...(typeof payload.patient === 'string' ? { patientId: payload.patient } : {}),
      jti: String(payload.jti),
      expiresAt: Number(payload.exp),
      issuedAt: Number(payload.iat),
      issuer: String(payload.iss),
      audience,
      ...(typeof cnf?.jkt === 'string' ? { jkt: cnf.jkt } : {}),
    },
  };
}
