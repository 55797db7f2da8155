import 'server-only';
/** Response helpers shared by the Keycloak realm, the FHIR servers and the demo plan's OAuth endpoints. */

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** A JSON body. Token responses and errors carry `no-store` (RFC 6749 §5.1), as Keycloak sends on every answer. */
export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('Content-Type', 'application/json');
  return response;
}

/** A JSON body with `Cache-Control: no-store` and `Pragma: no-cache`. */
export function noStoreJson(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const response = jsonResponse(body, status, headers);
  for (const [name, value] of Object.entries(noStore)) response.headers.set(name, value);
  return response;
}

/**
 * An OAuth error body `{"error","error_description"}` (RFC 6749 §5.2), the shape of Keycloak's
 * `OAuth2ErrorRepresentation` and of the demo plan's token endpoint.
 */
export function oauthError(status: number, error: string, description: string, headers: HeadersInit = {}): Response {
  return noStoreJson({ error, error_description: description }, status, headers);
}

/** A FHIR resource or Bundle, `application/fhir+json`. */
export function fhirResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('Content-Type', 'application/fhir+json; charset=utf-8');
  return response;
}

/** FHIR issue types used by the sandbox (http://hl7.org/fhir/R4/valueset-issue-type.html). */
export type IssueCode = 'invalid' | 'login' | 'forbidden' | 'not-found' | 'not-supported' | 'expired' | 'processing' | 'too-costly';

/** An OperationOutcome with one error issue. */
export function operationOutcome(status: number, code: IssueCode, diagnostics: string, headers: HeadersInit = {}): Response {
  return fhirResponse({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] }, status, headers);
}

/** 405 with the allowed methods. */
export function methodNotAllowed(allowed: readonly string[]): Response {
  return new Response(null, { status: 405, headers: { Allow: allowed.join(', ') } });
}

/** A status with no body (bulk kick-off and progress). */
export function emptyResponse(status: number, headers: HeadersInit = {}): Response {
  return new Response(null, { status, headers });
}

/** 302 to `location`, never cached. */
export function redirectResponse(location: string): Response {
  return new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } });
}
