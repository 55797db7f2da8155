import 'server-only';
import { authenticateClient } from './client-auth';
import type { BlueButtonContext } from './context';
import { readForm } from './form';
import { methodNotAllowed, oauthError } from './responses';

/**
 * `POST /v2/o/revoke_token/` (RFC 7009): the client revokes one of its own tokens. Unknown tokens, and other
 * clients' tokens, also get 200, so the answer reveals nothing (§2.2).
 */
export async function handleRevoke(context: BlueButtonContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST', 'OPTIONS']);
  const form = await readForm(request);
  const token = form.get('token');
  if (!token) return oauthError('invalid_request', 'Missing token parameter.');
  const hint = form.get('token_type_hint');
  if (hint !== null && hint !== 'access_token' && hint !== 'refresh_token') return oauthError('unsupported_token_type');
  const app = await authenticateClient(request, form);
  if (!app) return oauthError('invalid_client');

  const { store } = context;
  if ((await store.getAccessToken(token, context.now()))?.clientId === app.clientId) await store.revokeAccessToken(token);
  else if ((await store.getRefreshToken(token))?.clientId === app.clientId) await store.revokeRefreshToken(token);
  return new Response(null, { status: 200, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' } });
}
