import 'server-only';
/**
 * What HealthSherpa's OAuth server (Doorkeeper, inferred) puts on the wire when it refuses: the error codes and
 * English descriptions of Doorkeeper's `config/locales/en.yml`, the JSON body and headers of `ErrorResponse`,
 * and the redirect back to the client for errors that may be redirected.
 * @see ../shared/PROVIDERS.md section "5. HealthSherpa", "Errors"
 */

export type DoorkeeperErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_redirect_uri'
  | 'unsupported_response_type'
  | 'invalid_code_challenge_method'
  | 'access_denied';

export const doorkeeperDescriptions: Record<Exclude<DoorkeeperErrorCode, 'invalid_request'>, string> = {
  invalid_client:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_grant:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
  invalid_redirect_uri: "The requested redirect uri is malformed or doesn't match client redirect URI.",
  unsupported_response_type: 'The authorization server does not support this response type.',
  invalid_code_challenge_method: 'The code_challenge_method must be one of plain, S256.',
  access_denied: 'The resource owner or authorization server denied the request.',
};

/** Doorkeeper's `invalid_request.missing_param` message. */
export function missingParam(name: string): string {
  return `Missing required parameter: ${name}.`;
}

/** An error with its description, ready for the token endpoint, the error page or a redirect. */
export interface DoorkeeperError {
  error: DoorkeeperErrorCode;
  description: string;
}

/** One of Doorkeeper's errors with its fixed English description. */
export function doorkeeperError(error: Exclude<DoorkeeperErrorCode, 'invalid_request'>): DoorkeeperError {
  return { error, description: doorkeeperDescriptions[error] };
}

/** `invalid_request`, whose description says what is wrong (e.g. {@link missingParam}). */
export function invalidRequest(description: string): DoorkeeperError {
  return { error: 'invalid_request', description };
}

/** `ErrorResponse#status`: 401 for a client that failed authentication, 400 for everything else. */
export function doorkeeperStatus(error: DoorkeeperErrorCode): number {
  return error === 'invalid_client' ? 401 : 400;
}

// Doorkeeper's default realm, as in every WWW-Authenticate it sends.
const realm = 'Doorkeeper';

/** `WWW-Authenticate: Bearer realm="Doorkeeper", error="…", error_description="…"`. */
export function authenticateHeader({ error, description }: { error: string; description: string }): string {
  return `Bearer realm="${realm}", error="${error}", error_description="${description}"`;
}

/**
 * A token endpoint error as Doorkeeper answers it: `{"error","error_description"}`, 401 for invalid_client and
 * 400 otherwise, `Cache-Control: no-store, no-cache`, and `WWW-Authenticate` on every error (not only 401s).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function tokenErrorResponse(failure: DoorkeeperError): Response {
  return new Response(JSON.stringify({ error: failure.error, error_description: failure.description }), {
    status: doorkeeperStatus(failure.error),
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store, no-cache',
      'WWW-Authenticate': authenticateHeader(failure),
    },
  });
}

/** A 302 to `location`, as Rails' `redirect_to`. */
export function redirectTo(location: string): Response {
  return new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

/**
 * The redirect back to the client with an error, the query appended to the registered URI's own query
 * (`URIBuilder.uri_with_query`); blank values are dropped, `state` is echoed when the client sent one.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export function errorRedirect(redirectUri: string, failure: DoorkeeperError, state: string | undefined): Response {
  const url = new URL(redirectUri);
  url.searchParams.append('error', failure.error);
  url.searchParams.append('error_description', failure.description);
  if (state) url.searchParams.append('state', state);
  return redirectTo(url.toString());
}
