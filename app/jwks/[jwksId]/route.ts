import { getVault } from '@/lib/session';
import { VaultUnavailableError } from '@/lib/session/store';
import { JWKS_ID_PATTERN } from '@/lib/contract/route-params';

export const dynamic = 'force-dynamic';

/**
 * A workspace's public JWKS, for providers to fetch when they verify its client assertions (SMART Backend Services
 * `jwks_uri`). Public by design: no sign-in, no session, public keys only. Unknown ids answer 404.
 */
export async function GET(_request: Request, context: { params: Promise<{ jwksId: string }> }): Promise<Response> {
  const { jwksId } = await context.params;
  const headers = { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=60', 'Access-Control-Allow-Origin': '*' };
  if (!JWKS_ID_PATTERN.test(jwksId)) return Response.json({ error: 'not_found' }, { status: 404, headers });
  try {
    const jwks = await getVault().getPublishedJwks(jwksId);
    if (!jwks) return Response.json({ error: 'not_found' }, { status: 404, headers });
    return new Response(JSON.stringify(jwks), { status: 200, headers });
  } catch (error) {
    if (error instanceof VaultUnavailableError) return Response.json({ error: 'temporarily_unavailable' }, { status: 503, headers: { ...headers, 'Retry-After': '2', 'Cache-Control': 'no-store' } });
    throw error;
  }
}
