import { decodeJwt, decodeProtectedHeader } from 'jose';

/** Reading a JWT's header and claims without verifying them: what both sides do to show or route on a token. */

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Decodes a compact JWS without verifying it; null when the string is not a JWT (an opaque token). */
export function decodeJwtParts(token: string): DecodedJwt | null {
  if (token.split('.').length !== 3) return null;
  try {
    return {
      header: decodeProtectedHeader(token) as Record<string, unknown>,
      claims: decodeJwt(token) as Record<string, unknown>,
    };
  } catch {
    return null;
  }
}
