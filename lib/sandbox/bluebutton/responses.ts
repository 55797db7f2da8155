import 'server-only';
/**
 * Bodies as Blue Button's Django stack puts them on the wire. Three serialisers are involved:
 * - oauthlib token errors and Django's `JsonResponse` use Python's `json.dumps` defaults: `", "` and `": "`
 *   separators, non-ASCII escaped;
 * - Django REST Framework (the FHIR and userinfo views) renders compact JSON;
 * - the FHIR resources themselves are passed through from the backend.
 */

/** `json.dumps(value)` with Python's defaults, so bodies match byte for byte. */
export function pythonJsonStringify(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonStringify).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  return `{${entries.map(([key, item]) => `${pythonJsonStringify(key)}: ${pythonJsonStringify(item)}`).join(', ')}}`;
}

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** A Django `JsonResponse`: Blue Button's own `{"status_code": …, "message": …}` bodies. */
export function djangoJson(body: Record<string, unknown>, status: number, headers: HeadersInit = {}): Response {
  const response = new Response(pythonJsonStringify(body), { status, headers });
  response.headers.set('Content-Type', 'application/json');
  return response;
}

/**
 * An oauthlib error from the token, revoke or introspect endpoint (RFC 6749 §5.2), with the no-store headers
 * oauthlib adds. `invalid_client` is 401, everything else 400.
 */
export function oauthError(error: string, description?: string): Response {
  const status = error === 'invalid_client' ? 401 : 400;
  return djangoJson({ error, error_description: description }, status, noStore);
}

/** The token endpoint's 200: the body, already serialised, and RFC 6749 §5.1's no-store headers. */
export function tokenResponse(body: Record<string, unknown>): Response {
  return djangoJson(body, 200, noStore);
}

/** A Django REST Framework error or answer: compact JSON. */
export function drfJson(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('Content-Type', 'application/json');
  return response;
}

/** DRF’s default `PermissionDenied` detail. */
export const permissionDeniedMessage = 'You do not have permission to perform this action.';

/** DRF's 403 `PermissionDenied`. */
export function permissionDenied(detail = permissionDeniedMessage): Response {
  return drfJson({ detail }, 403);
}

/** DRF's 404 `NotFound`, also used when a resource belongs to someone else (so its existence is not revealed). */
export function drfNotFound(detail = 'Not found.'): Response {
  return drfJson({ detail }, 404);
}

/** A FHIR resource or Bundle. */
export function fhirJson(resource: unknown, status = 200): Response {
  return new Response(JSON.stringify(resource), { status, headers: { 'Content-Type': 'application/fhir+json' } });
}

/** Django's answer to a method the view does not implement: 405, empty body, `Allow`. */
export function methodNotAllowed(allowed: readonly string[]): Response {
  return new Response(null, { status: 405, headers: { Allow: allowed.join(', ') } });
}

/** Django's 404 for an unknown URL (production settings: a short HTML page). */
export function pageNotFound(): Response {
  return new Response('<h1>Not Found</h1><p>The requested resource was not found on this server.</p>', {
    status: 404,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });
}

/** A 302 to `location` that no cache keeps (authorization responses carry codes). */
export function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } });
}
