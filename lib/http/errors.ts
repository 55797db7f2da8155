import 'server-only';
import type { ApiError } from '@/lib/contract/schemas';

/** The closed list of error codes the BFF answers with. */
export type ApiErrorCode =
  | 'bad_request'
  | 'misdirected_request'
  | 'payload_too_large'
  | 'validation_failed'
  | 'csrf_rejected'
  | 'sign_in_required'
  | 'not_found'
  | 'method_not_allowed'
  | 'no_session'
  | 'no_token'
  | 'preset_not_for_environment'
  | 'sandbox_disabled'
  | 'path_not_allowed'
  | 'upstream_rejected'
  | 'upstream_rate_limited'
  | 'upstream_error'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'invalid_token_response'
  | 'reauth_required'
  | 'state_mismatch'
  | 'authorization_denied'
  | 'vault_unavailable'
  | 'discovery_failed'
  | 'conflict'
  | 'internal_error';

/** An error a route handler answers with: status, a code from the closed list, words for a person. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: Omit<ApiError['error'], 'code' | 'message'> = {},
    /** Response headers to pass on, e.g. the upstream's Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): ApiError {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}
