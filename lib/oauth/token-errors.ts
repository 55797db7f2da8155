import 'server-only';
import type { ApiErrorCode } from '@/lib/http/errors';
import { redactText } from '@/lib/http/redact';
import type { ClientAuthMethod } from '@/lib/providers/schema';
import { explainAssertionRejection } from '@/lib/contract/assertion-rejections';

/** What the BFF tells the page when a token endpoint says no. */
export interface TokenErrorExplanation {
  /** The BFF's own status: 424 when the provider refused, 429 when it rate-limited, 502 when it failed. */
  status: number;
  code: ApiErrorCode;
  message: string;
  hint: string;
}

export interface TokenErrorInput {
  status: number;
  contentType: string | null;
  body: string;
  retryAfter: string | null;
  providerName: string;
  clientAuth: ClientAuthMethod;
  environmentKind: 'builtin' | 'sandbox' | 'production';
  grantType?: 'client_credentials' | 'authorization_code' | 'refresh_token';
}

/**
 * Explains a token endpoint's error in words, whether it follows RFC 6749 §5.2 (`{"error": …}`) or not
 * (BCDA answers plain text). The words quote the body, so they are built from it after redaction (SECURITY.md rule
 * 15): callers pass the body already redacted of the secrets they sent; secret-named fields and credentials after
 * an auth scheme are redacted here too.
 */
export function explainTokenError(input: TokenErrorInput): TokenErrorExplanation {
  const body = redactText(input.body);
  const oauth = readOAuthError(body);
  const said = oauth
    ? `${oauth.error}${oauth.description ? `: ${oauth.description}` : ''}`
    : summarizeBody(body, input.contentType);
  const where = `${input.providerName}'s token endpoint answered ${input.status}${said ? ` (${said})` : ''}`;
  const credentialsLocation =
    input.clientAuth === 'basic'
      ? 'the HTTP Basic Authorization header'
      : input.clientAuth === 'private_key_jwt'
        ? 'the signed client assertion'
        : input.clientAuth === 'none'
          ? 'the client_id parameter'
          : `the ${input.clientAuth} body`;

  if (input.status === 429) {
    const wait = input.retryAfter ? ` Retry after ${input.retryAfter} seconds.` : '';
    return {
      status: 429,
      code: 'upstream_rate_limited',
      message: `${where}: too many token requests.${wait}`,
      hint: input.retryAfter
        ? `Each token request counts against the provider's limit: wait the ${input.retryAfter} seconds before the next one.`
        : "Each token request counts against the provider's limit: wait a while before the next one.",
    };
  }
  if (input.status === 401 || oauth?.error === 'invalid_client' || oauth?.error === 'UnauthorizedError') {
    const environmentHint =
      input.environmentKind === 'production'
        ? ' Sandbox credentials do not work on the production host; use the credentials issued to your organisation.'
        : input.environmentKind === 'sandbox' || input.environmentKind === 'builtin'
          ? ' Production credentials do not work on a sandbox.'
          : '';
    if (input.clientAuth === 'private_key_jwt') {
      const explained = explainAssertionRejection(body);
      return {
        status: 424,
        code: 'upstream_rejected',
        message: `${where}: the signed client assertion was not accepted.`,
        hint: explained.reasons.map((r) => `${r.message} ${r.fix}`).join(' — '),
      };
    }
    return {
      status: 424,
      code: 'upstream_rejected',
      message: `${where}: the client credentials were not accepted.`,
      hint: `Check the client ID and secret sent in ${credentialsLocation}: a typo, a trailing space or a secret from another environment all look like this.${environmentHint}`,
    };
  }
  if (oauth?.error === 'invalid_grant' && input.grantType === 'refresh_token') {
    return {
      status: 409,
      code: 'reauth_required',
      message: `${where}: the refresh token is no longer valid.`,
      hint: 'Refresh tokens here are single-use (rotated) or tied to a grant that has ended. The stored tokens were dropped; authorize again to get new ones.',
    };
  }
  if (oauth?.error === 'invalid_grant' && input.grantType === 'authorization_code') {
    return {
      status: 424,
      code: 'upstream_rejected',
      message: `${where}: the authorization code was refused.`,
      hint: 'A code works once and for a few minutes, only with the redirect_uri used at authorize, and only with the PKCE verifier whose challenge was sent. Start the authorization again.',
    };
  }
  if (input.status === 400) {
    return {
      status: 424,
      code: 'upstream_rejected',
      message: `${where}: the token request was malformed.`,
      hint:
        oauth?.error === 'invalid_grant' || oauth?.error === 'unsupported_grant_type'
          ? 'The provider does not accept this grant for this client.'
          : `The provider could not read the request. It expects the client credentials in ${credentialsLocation}.`,
    };
  }
  if (input.status === 415) {
    return {
      status: 424,
      code: 'upstream_rejected',
      message: `${where}: it does not take this Content-Type.`,
      hint: 'Send the token request as application/json or application/x-www-form-urlencoded, as the provider documents.',
    };
  }
  if (input.status === 422) {
    return {
      status: 424,
      code: 'upstream_rejected',
      message: `${where}: a required field is missing or malformed.`,
      hint: 'The body must carry client_id and client_secret as strings; the provider lists the fields it could not read.',
    };
  }
  if (input.status === 403) {
    return {
      status: 424,
      code: 'upstream_rejected',
      message: `${where}: this client may not get a token here.`,
      hint: 'The client may be disabled, denylisted, or not allowed this grant or scope.',
    };
  }
  if (input.status >= 500) {
    return {
      status: 502,
      code: 'upstream_error',
      message: `${where}: the provider failed.`,
      hint: `This is the provider's side, not your credentials.${input.retryAfter ? ` It asks to retry after ${input.retryAfter} seconds.` : ' Try again shortly.'}`,
    };
  }
  if (input.status >= 300 && input.status < 400) {
    return {
      status: 502,
      code: 'upstream_error',
      message: `${where}: a redirect, which the console does not follow with credentials.`,
      hint: 'The token URL may be wrong (http vs https, a missing trailing slash, or an old host).',
    };
  }
  return {
    status: 424,
    code: 'upstream_rejected',
    message: `${where}.`,
    hint: 'The provider did not issue a token; its answer is shown below.',
  };
}

/**
 * Reads the error of a JSON body: RFC 6749 §5.2 `{error, error_description}`, Fern's `{errorName, content}`
 * (Candid) and `{error: {code, message}}` envelopes (HealthSherpa's API).
 */
function readOAuthError(body: string): { error: string; description?: string } | null {
  try {
    const json = JSON.parse(body) as Record<string, unknown> | null;
    if (!json || typeof json !== 'object') return null;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    if (typeof json.error === 'string') return { error: json.error, description: text(json.error_description) };
    if (json.error && typeof json.error === 'object') {
      const nested = json.error as Record<string, unknown>;
      if (typeof nested.code === 'string') return { error: nested.code, description: text(nested.message) };
    }
    if (typeof json.errorName === 'string') {
      const content = json.content as Record<string, unknown> | undefined;
      return { error: json.errorName, description: text(content?.message) };
    }
  } catch {
    // not JSON: BCDA's plain-text errors, handled by the caller
  }
  return null;
}

function summarizeBody(body: string, contentType: string | null): string {
  const text = body.trim();
  if (!text) return '';
  const kind = contentType?.split(';')[0]?.trim();
  const short = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return kind && kind !== 'application/json' ? `${kind} "${short}"` : `"${short}"`;
}
