import 'server-only';
import { parseBasicCredentials } from '../shared/basic-auth';
import { authenticateApp, type BlueButtonApp } from './apps';

export { parseBasicCredentials };

/**
 * Client authentication at the token, revoke and introspect endpoints, in django-oauth-toolkit's order: HTTP
 * Basic first, then `client_id` + `client_secret` in the form body (RFC 6749 §2.3.1).
 */

/** The demo app the request authenticates as, or undefined (→ 401 `invalid_client`). */
export async function authenticateClient(request: Request, form: URLSearchParams): Promise<BlueButtonApp | undefined> {
  const basic = parseBasicCredentials(request.headers.get('authorization'));
  if (basic) {
    const app = await authenticateApp(basic.clientId, basic.clientSecret);
    if (app) return app;
  }
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  return clientId && clientSecret ? authenticateApp(clientId, clientSecret) : undefined;
}
