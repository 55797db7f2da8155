import type { ApiError } from '@/lib/contract/schemas';

export type ApiErrorBody = ApiError['error'];

/**
 * Every failed call of the api-client throws this: a non-2xx answer from the BFF carries its `{ error }` body;
 * a network failure gets code `network_error` (status 0); a body the page cannot read gets `invalid_response`.
 */
export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';
  readonly status: number;
  readonly body: ApiErrorBody;
  /** How long the answer asked to wait before trying again (its Retry-After), or null. */
  readonly retryAfterMs: number | null;

  constructor(status: number, body: ApiErrorBody, retryAfterMs: number | null = null) {
    super(body.message);
    this.status = status;
    this.body = body;
    this.retryAfterMs = retryAfterMs;
  }

  get code(): string {
    return this.body.code;
  }
}

export function isApiClientError(error: unknown): error is ApiClientError {
  return error instanceof ApiClientError;
}

/** Only a network failure is worth one retry; a 4xx or 5xx answer would fail the same way again. */
export function isNetworkError(error: unknown): boolean {
  return isApiClientError(error) && error.code === 'network_error';
}

/** Normalises anything thrown into an ApiClientError so the UI has one error shape to render. */
export function toApiClientError(error: unknown): ApiClientError {
  if (isApiClientError(error)) return error;
  const message = error instanceof Error ? error.message : 'Unexpected error';
  return new ApiClientError(0, { code: 'client_error', message });
}

/** react-query `retry` for queries: one more try after a network failure, none after an answer. */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  return isNetworkError(error) && failureCount < 1;
}
