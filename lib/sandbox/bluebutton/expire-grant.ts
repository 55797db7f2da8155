import 'server-only';
import { authenticateClient } from './client-auth';
import type { BlueButtonContext } from './context';
import { methodNotAllowed } from './responses';
import { findUserByPatientId } from './users';

function text(body: string, status: number): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

/**
 * `POST /v2/o/expire_authenticated_user/{patientId}/`, the sandbox's test helper: deletes the beneficiary's
 * data-access grant for the calling app, so its tokens get 403 and its refresh token `invalid_grant`.
 */
export async function handleExpireGrant(context: BlueButtonContext, request: Request, patientId: string): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST', 'OPTIONS']);
  const app = await authenticateClient(request, new URLSearchParams());
  if (!app) return text('FORBIDDEN', 403);
  if (!findUserByPatientId(patientId)) return text('Patient was Not Found. Please check the id number and try again.', 404);
  if (!(await context.store.takeGrant(app.clientId, patientId))) return text('Data Access Grant was Not Found.', 404);
  return text('success', 200);
}
