import 'server-only';
import { authenticateClient } from './client-auth';
import type { BlueButtonContext } from './context';
import { readForm } from './form';
import { djangoJson, methodNotAllowed } from './responses';

/**
 * `GET|POST /v2/o/introspect/` (RFC 7662), for a client authenticated with its id and secret: django-oauth-
 * toolkit's `{active, scope, exp, client_id, username}` plus the token's `patient`. A client only sees its own
 * tokens; anything else is `{"active": false}` (RFC 7662 §4 lets the server decide whom to tell).
 */
export async function handleIntrospect(context: BlueButtonContext, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
  const form = request.method === 'POST' ? await readForm(request) : new URL(request.url).searchParams;
  const app = await authenticateClient(request, form);
  // ClientProtectedResourceView refuses an unauthenticated caller with a bare 403.
  if (!app) return new Response(null, { status: 403 });

  const now = context.now();
  const record = await context.store.getAccessToken(form.get('token') ?? '', now);
  if (!record || record.clientId !== app.clientId || record.expiresAt <= now) return djangoJson({ active: false }, 200);
  return djangoJson(
    {
      active: true,
      scope: record.scopes.join(' '),
      exp: Math.floor(record.expiresAt / 1000),
      client_id: record.clientId,
      username: record.patientId,
      patient: record.patientId,
    },
    200,
  );
}
