import { z } from 'zod';

/** Route params shared by the BFF's provider routes. */
export const providerParamsSchema = z.object({ providerId: z.string().regex(/^[a-z0-9-]{1,40}$/) });

/**
 * The path grammar of the console's public JWKS route, `/jwks/{jwksId}` (app/jwks/[jwksId]/route.ts): one
 * definition for the route, the URL a workspace shows and registers, and the built-in SMART sandbox, which fetches
 * a client's keys only from this route.
 */

/** A workspace's JWKS id: 128 random bits, base64url. */
export const JWKS_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** The path the console publishes a workspace's public keys at. */
export function jwksPathOf(jwksId: string): string {
  return `/jwks/${jwksId}`;
}

/** The JWKS id a path names when it is exactly `/jwks/{jwksId}`; nothing before, after or encoded. */
export function jwksIdOfPath(pathname: string): string | undefined {
  const match = /^\/jwks\/([^/]*)$/.exec(pathname);
  const id = match?.[1];
  return id !== undefined && JWKS_ID_PATTERN.test(id) ? id : undefined;
}
