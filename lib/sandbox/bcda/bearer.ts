import 'server-only';
import { errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { findAccountByAcoId, type BcdaAccount } from './credentials';
import type { BcdaContext } from './context';
import type { SigningKey } from '../shared/signing-key';
import { operationOutcomeResponse } from './operation-outcome';

/** Why a bearer token was refused; each maps to one of BCDA's 401 diagnostics. */
export type TokenRejection = 'invalid' | 'expired';

const datClaimSchema = z.object({ cms_ids: z.array(z.string()).length(1) });

function parseDatClaim(dat: unknown): string | undefined {
  if (typeof dat !== 'string') return undefined;
  try {
    return datClaimSchema.parse(JSON.parse(dat)).cms_ids[0];
  } catch {
    return undefined;
  }
}

/**
 * Verifies an access token minted by this instance: RS512 signature, `iss`, `exp` against the injected clock,
 * `use: "AccessToken"`, and a `dat` naming exactly one known CMS id whose client matches `cid`.
 */
export async function verifyAccessToken(
  key: SigningKey,
  token: string,
  nowMs: number,
): Promise<{ account: BcdaAccount } | { rejection: TokenRejection }> {
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['RS512'],
      issuer: 'ssas',
      requiredClaims: ['exp', 'iat', 'jti'],
      currentDate: new Date(nowMs),
    });
    const acoId = payload.use === 'AccessToken' ? parseDatClaim(payload.dat) : undefined;
    const account = acoId === undefined ? undefined : findAccountByAcoId(acoId);
    if (!account || payload.cid !== account.clientId) return { rejection: 'invalid' };
    return { account };
  } catch (error) {
    return { rejection: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

// BCDA's ParseToken: the scheme must be exactly "Bearer" (capital B) followed by one space and the token.
const bearerPattern = /^Bearer (\S+)$/;

/**
 * Authenticates a request the way BCDA's auth middleware does. Missing or malformed `Authorization` (including
 * a lower-case `bearer`) gives 401 "Invalid Token"; an expired token 401 "Expired Token".
 */
export async function authenticateBearer(
  context: BcdaContext,
  request: Request,
): Promise<{ account: BcdaAccount } | { response: Response }> {
  const match = bearerPattern.exec(request.headers.get('authorization') ?? '');
  if (!match?.[1]) return { response: operationOutcomeResponse(401, 'Invalid Token') };
  const result = await verifyAccessToken(await context.getSigningKey(), match[1], context.now());
  if ('account' in result) return result;
  return { response: operationOutcomeResponse(401, result.rejection === 'expired' ? 'Expired Token' : 'Invalid Token') };
}
