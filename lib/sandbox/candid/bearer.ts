import 'server-only';
import { errors, jwtVerify } from 'jose';
import { findAccountByClientId, type CandidAccount } from './credentials';
import { describeLifetime, type CandidContext } from './context';
import type { SigningKey } from '../shared/signing-key';
import { unauthorized } from './responses';
import { tokenAudience } from './token';

/** Why a bearer token was refused. */
export type TokenRejection = 'invalid' | 'expired';

/**
 * Verifies an access token minted by this instance: RS256 signature, `aud`, `exp` against the injected clock, and
 * an `azp` naming a known API key whose `sub` matches. `iss` is not compared with this request's origin: the same
 * sandbox is reached as localhost by a browser and as 127.0.0.1 by the console's server, and the signature
 * already proves who minted the token.
 */
export async function verifyAccessToken(
  key: SigningKey,
  token: string,
  nowMs: number,
): Promise<{ account: CandidAccount } | { rejection: TokenRejection }> {
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['RS256'],
      audience: tokenAudience,
      requiredClaims: ['iss', 'sub', 'exp', 'iat', 'azp'],
      currentDate: new Date(nowMs),
    });
    const account = typeof payload.azp === 'string' ? findAccountByClientId(payload.azp) : undefined;
    if (!account || payload.sub !== `${account.clientId}@clients`) return { rejection: 'invalid' };
    return { account };
  } catch (error) {
    return { rejection: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/** The 401 for an expired access token (what `authenticateBearer` answers, and `expired_token` simulates). */
export function expiredTokenResponse(context: CandidContext): Response {
  const lifetime = describeLifetime(context.tokenLifetimeSeconds);
  return unauthorized(401, `The bearer token has expired (tokens last ${lifetime}). Request a new one from /api/auth/v2/token.`);
}

// RFC 6750 §2.1: "Bearer" then the token; the scheme is case-insensitive (RFC 9110 §11.1).
const bearerPattern = /^bearer +(\S+)\s*$/i;

/**
 * Authenticates an API request. A missing, malformed or foreign token answers 401 `UnauthorizedError`; an expired
 * one 401 with a message saying so, as the docs describe ("After it has expired, the client will receive an
 * HTTP 401 Unauthorized error").
 */
export async function authenticateBearer(
  context: CandidContext,
  request: Request,
): Promise<{ account: CandidAccount } | { response: Response }> {
  const header = request.headers.get('authorization');
  if (!header) return { response: unauthorized(401, 'Missing bearer token: send "Authorization: Bearer <access_token>".') };
  const match = bearerPattern.exec(header);
  if (!match?.[1]) return { response: unauthorized(401, 'The Authorization header must be "Bearer <access_token>".') };
  const result = await verifyAccessToken(await context.getSigningKey(), match[1], context.now());
  if ('account' in result) return result;
  if (result.rejection === 'expired') return { response: expiredTokenResponse(context) };
  return { response: unauthorized(401, 'Invalid bearer token.') };
}
