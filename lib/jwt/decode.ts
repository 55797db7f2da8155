import { decodeJwt, decodeProtectedHeader } from 'jose';

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
