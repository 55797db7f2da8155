import 'server-only';
import { authenticateClient } from './client-auth';
import { serverUrls, type SmartContext } from './context';
import { json, methodNotAllowed, oauthError } from './responses';
import { readTokenForm } from './token';
import { verifyAccessToken } from './tokens';

/**
 * `POST /auth/introspect` (RFC 7662) for an authenticated confidential client. A client learns about its own
 * tokens only; anything else, and any expired, revoked or unknown token, is `{"active": false}` (§2.2).
 */
export async function handleIntrospect(context: SmartContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  const form = await readTokenForm(request);
  if (form instanceof Response) return form;
  const auth = await authenticateClient(context, request, form, serverUrls(context, request));
  if ('response' in auth) return auth.response;
  if (auth.method === 'none') {
    return oauthError('invalid_client', 'Introspection needs an authenticated client (RFC 7662 §2.1); a public client cannot introspect.');
  }
  const token = form.get('token');
  if (!token) return oauthError('invalid_request', 'The token parameter is missing.');
  const clientId = auth.client.clientId;

  const access = await verifyAccessToken(context, token);
  if ('token' in access && access.token.clientId === clientId && !(await context.store.isAccessTokenRevoked(access.token.jti))) {
    const t = access.token;
    return json({
      active: true,
      scope: t.scopes.join(' '),
      client_id: t.clientId,
      token_type: t.jkt ? 'DPoP' : 'Bearer',
      exp: t.expiresAt,
      iat: t.issuedAt,
      sub: t.subject,
      aud: t.audience,
      iss: t.issuer,
      ...(t.patientId ? { patient: t.patientId } : {}),
      // RFC 9449 §6.2: the resource server learns which key the token is bound to.
      ...(t.jkt ? { cnf: { jkt: t.jkt } } : {}),
    });
  }
  const refresh = await context.store.getRefreshToken(token);
  if (
    refresh &&
    refresh.clientId === clientId &&
    !(await context.store.refreshTokenUsed(token)) &&
    !(await context.store.isFamilyRevoked(refresh.family))
  ) {
    return json({ active: true, scope: refresh.scopes.join(' '), client_id: refresh.clientId, sub: refresh.username, token_type: 'refresh_token' });
  }
  return json({ active: false });
}
