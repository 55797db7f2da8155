import 'server-only';
import { createLocalJWKSet, errors, importJWK, jwtVerify, type JSONWebKeySet } from 'jose';
import type { TokenVerification } from '@/lib/contract/schemas';
import { decodeJwtParts } from '@/lib/contract/jwt';

export type JwksSource =
  | { kind: 'jwks'; load: (options: { refresh: boolean; alg: string }) => Promise<JSONWebKeySet> }
  | { kind: 'none'; reason: string };

/**
 * Verifies an access token's signature against the environment's published keys and says why when it can't.
 * An expired token still counts as verified-signature with the expiry named, because the question here is
 * "did this issuer sign it", and the countdown already shows expiry.
 */
export async function verifyAccessToken(token: string, source: JwksSource): Promise<TokenVerification> {
  const decoded = decodeJwtParts(token);
  if (!decoded) return { status: 'unverifiable', reason: 'The token is opaque (not a JWT): there is no signature to check.' };
  const alg = typeof decoded.header.alg === 'string' ? decoded.header.alg : undefined;
  const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
  if (source.kind === 'none') return { status: 'unverifiable', reason: source.reason, alg, kid };
  if (!alg || alg === 'none') return { status: 'failed', reason: 'The token header names no signing algorithm.', alg, kid };
  const algorithm: string = alg;

  const attempt = async (refresh: boolean): Promise<TokenVerification> => {
    let jwks: JSONWebKeySet;
    try {
      jwks = await source.load({ refresh, alg: algorithm });
    } catch (error) {
      return { status: 'unverifiable', reason: `Could not load the JWKS: ${(error as Error).message}`, alg, kid };
    }
    // A key set made from a PEM names no kid: only a JWKS that names its keys can miss one, and a kid lookup
    // would skip the PEM's key for a token that names a kid.
    if (kid && jwks.keys.some((k) => k.kid !== undefined) && !jwks.keys.some((k) => k.kid === kid)) {
      return { status: 'failed', reason: `No key with kid "${kid}" in the environment's JWKS.`, alg, kid };
    }
    try {
      const [only] = jwks.keys;
      const key = jwks.keys.length === 1 && only && only.kid === undefined ? await importJWK(only, algorithm) : createLocalJWKSet(jwks);
      await jwtVerify(token, key, { algorithms: [algorithm], clockTolerance: 60 });
      return { status: 'verified', reason: `Signature checked with ${alg} against the environment's JWKS.`, alg, kid };
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        return { status: 'verified', reason: `Signature valid (${alg}), but the token has expired.`, alg, kid };
      }
      if (error instanceof errors.JWKSNoMatchingKey) {
        return { status: 'failed', reason: `No key in the JWKS matches alg ${alg}${kid ? ` and kid "${kid}"` : ''}.`, alg, kid };
      }
      if (error instanceof errors.JWSSignatureVerificationFailed) {
        return { status: 'failed', reason: 'The signature does not match the published key: the token was altered or signed by someone else.', alg, kid };
      }
      return { status: 'failed', reason: (error as Error).message, alg, kid };
    }
  };

  const first = await attempt(false);
  // A kid we do not know may mean the issuer rotated its keys since we cached them.
  if (first.status === 'failed' && first.reason.startsWith('No key')) return attempt(true);
  return first;
}
