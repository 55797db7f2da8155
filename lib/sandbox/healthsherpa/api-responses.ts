import 'server-only';
/**
 * Partner API v2 responses: JSON with the `{"error":{"message","code"}}` envelope the authentication page shows
 * (PROVIDERS.md writes it `{error: {code, message}}`; the keys are the same).
 */

/** The error codes the emulated API answers with. */
export type ApiErrorCode =
  | 'missing_authorization'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'bad_request'
  | 'parameter_missing'
  | 'validation_error'
  | 'not_found';

const jsonHeaders = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

/** A JSON API response, never cached. */
export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...jsonHeaders, ...headers } });
}

/** An API error in the `{"error":{"message","code"}}` envelope. */
export function apiError(status: number, code: ApiErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return apiJson({ error: { message, code } }, status, headers);
}

/** Rails answers an unknown route (or a known path with another method) with 404. */
export function apiRouteNotFound(): Response {
  return apiError(404, 'not_found', 'Not found');
}
