import 'server-only';
/** The wire shapes of the SMART sandbox: OAuth JSON, FHIR JSON and OperationOutcome, redirects. */

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** A JSON answer that no cache keeps (RFC 6749 §5.1 asks it of token responses; it does no harm elsewhere). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...noStore, ...headers } });
}

/** The OAuth error codes this server answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_client_metadata'
  | 'invalid_redirect_uri'
  | 'temporarily_unavailable'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce';

/**
 * An RFC 6749 §5.2 error whose `error_description` names the exact problem. `invalid_client` is 401 with a
 * `WWW-Authenticate` challenge for the scheme the client tried (Basic when it sent Basic, §5.2).
 */
export function oauthError(error: OAuthErrorCode, description: string, status?: number, headers: Record<string, string> = {}): Response {
  const code = status ?? (error === 'invalid_client' ? 401 : 400);
  return json({ error, error_description: description }, code, headers);
}

/** A FHIR resource or Bundle. */
export function fhirJson(resource: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(resource), { status, headers: { 'Content-Type': 'application/fhir+json', ...headers } });
}

/** A FHIR OperationOutcome with one error issue. */
export function operationOutcome(status: number, code: string, diagnostics: string, headers: Record<string, string> = {}): Response {
  return fhirJson({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] }, status, headers);
}

/** 405 with `Allow` (RFC 9110 §15.5.6). */
export function methodNotAllowed(allowed: readonly string[]): Response {
  return json({ error: 'method_not_allowed', error_description: `Use ${allowed.join(' or ')}.` }, 405, { Allow: allowed.join(', ') });
}

export function notFound(description = 'There is nothing at this path on the SMART sandbox.'): Response {
  return json({ error: 'not_found', error_description: description }, 404);
}

/** A 302 to `location` that no cache keeps (authorization responses carry codes). */
export function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

/** `uri` with `params` added to its query, keeping what is already there (RFC 6749 §4.1.2). */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return url.toString();
}
