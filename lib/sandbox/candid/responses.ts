import 'server-only';
/**
 * Response helpers in the shape of Candid's Fern-generated API: typed errors travel as
 * `{"errorName": "<Name>", "content": …}` and successes as plain JSON.
 * @see ../shared/PROVIDERS.md (relative to the repository root) "Error envelope (Fern)"
 */

/** One entry of `HttpRequestValidationsError`'s content (candid-python `commons/types/request_validation_error.py`). */
export interface RequestValidationError {
  fieldName: string;
  humanReadableMessage?: string;
}

/** A JSON body with `Cache-Control: no-store`: every answer here is per-client and may carry a token. */
export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('Content-Type', 'application/json');
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

/** A Fern typed error: `{"errorName": name, "content": content}`. */
export function fernError(status: number, errorName: string, content: unknown, headers: HeadersInit = {}): Response {
  return jsonResponse({ errorName, content }, status, headers);
}

/**
 * `UnauthorizedError` with a message. The SDK declares this error as HTTP 403
 * (candid-python `commons/errors/unauthorized_error.py`), but the token docs say bad credentials and expired
 * tokens get HTTP 401, so callers pass the status.
 */
export function unauthorized(status: 401 | 403, message: string): Response {
  return fernError(status, 'UnauthorizedError', { message });
}

/** `HttpRequestValidationsError` (422): content is the list of failing fields. */
export function validationErrors(errors: readonly RequestValidationError[]): Response {
  return fernError(422, 'HttpRequestValidationsError', errors);
}

/** `EntityNotFoundError` (404): content names the id that matched nothing. */
export function entityNotFound(id: string): Response {
  return fernError(404, 'EntityNotFoundError', { id });
}

/** A path the sandbox does not emulate (the sandbox's own wording; Candid's body for this is unknown). */
export function routeNotFound(method: string, path: string): Response {
  return fernError(404, 'NotFoundError', { message: `The built-in Candid sandbox has no route for ${method} ${path}.` });
}

/** A known path with the wrong method: 405 with `Allow` (RFC 9110 §15.5.6). */
export function methodNotAllowed(allowed: readonly string[]): Response {
  return new Response(null, { status: 405, headers: { Allow: allowed.join(', ') } });
}
