import 'server-only';
import type { ApiError, ApiErrorCode } from '@/lib/contract/schemas';

export type { ApiErrorCode };

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
