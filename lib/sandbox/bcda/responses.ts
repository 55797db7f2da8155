import 'server-only';
/**
 * Response helpers that reproduce what BCDA's Go handlers put on the wire: `http.Error` text bodies,
 * chi's 404/405, and plain JSON.
 */

const goStatusText: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** A body written by Go's `http.Error`: text/plain, `nosniff`, and a trailing newline. */
export function goTextError(status: number, message = goStatusText[status] ?? 'Error', headers: HeadersInit = {}): Response {
  const response = new Response(`${message}\n`, { status, headers });
  response.headers.set('Content-Type', 'text/plain; charset=utf-8');
  response.headers.set('X-Content-Type-Options', 'nosniff');
  return response;
}

/** chi's answer for an unknown route (Go's `http.NotFound`). */
export function routeNotFound(): Response {
  return goTextError(404, '404 page not found');
}

/** chi's answer for a known route with the wrong method: 405, empty body. */
export function methodNotAllowed(allowed: readonly string[]): Response {
  return new Response(null, { status: 405, headers: { Allow: allowed.join(', ') } });
}

const goEscapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

/** `JSON.stringify` with Go's `json.Marshal` HTML escaping of `<`, `>` and `&`, so bodies match byte for byte. */
export function goJsonStringify(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (char) => goEscapes[char] ?? char);
}

/** A JSON body with the exact bytes given, or `value` marshalled as Go would. */
export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const text = typeof body === 'string' ? body : goJsonStringify(body);
  const response = new Response(text, { status, headers });
  response.headers.set('Content-Type', 'application/json');
  return response;
}

/** A status with no body (202 kick-off, 202 progress, 202 cancel). */
export function emptyResponse(status: number, headers: HeadersInit = {}): Response {
  return new Response(null, { status, headers });
}
