import type { z } from 'zod';
import { ApiClientError } from './api-client-error';
import { readRetryAfterMs } from '@/lib/contract/headers';
import { apiErrorSchema } from '@/lib/contract/schemas';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequestInit {
  method?: Method;
  /** Serialised as JSON; only for POST and PUT. */
  body?: unknown;
  signal?: AbortSignal;
}

/** SECURITY.md rule 3: the BFF refuses state-changing requests without this header. */
const CSRF_HEADER = { 'x-console-request': '1' } as const;

/**
 * Same-origin JSON call to the BFF. Parses a 2xx body with `schema` and a non-2xx body with `apiErrorSchema`;
 * throws ApiClientError otherwise. Never logs: bodies may carry credentials on the way out.
 */
export async function apiRequest<S extends z.ZodType>(
  path: string,
  schema: S,
  init: ApiRequestInit = {},
): Promise<z.infer<S>> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') Object.assign(headers, CSRF_HEADER, { 'content-type': 'application/json' });

  const response = await send(path, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal: init.signal,
  });

  const text = await response.text();
  const json = parseJson(text);

  if (!response.ok) throw errorOf(response, json);

  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiClientError(response.status, {
      code: 'invalid_response',
      message: `The console server’s answer to ${method} ${path} did not match the expected shape.`,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(root)',
        message: issue.message,
      })),
    });
  }
  return parsed.data;
}

/**
 * A POST whose answer is a stream (the conformance run's NDJSON): the body to read as it comes, or the console's
 * error as an ApiClientError, as {@link apiRequest} throws it.
 */
export async function apiPostStream(path: string, body: unknown, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const response = await send(path, {
    method: 'POST',
    headers: { accept: 'application/x-ndjson', 'content-type': 'application/json', ...CSRF_HEADER },
    body: JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  if (!response.ok) throw errorOf(response, parseJson(await response.text()));
  if (!response.body) throw new ApiClientError(response.status, { code: 'invalid_response', message: `The console server’s answer to POST ${path} had no body.` });
  return response.body;
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiClientError(0, {
      code: 'network_error',
      message: 'Could not reach the console server.',
      hint: 'Check that the console is still running, then try again.',
    });
  }
}

function errorOf(response: Response, json: unknown): ApiClientError {
  const parsed = apiErrorSchema.safeParse(json);
  const retryAfterMs = readRetryAfterMs(response.headers.get('retry-after') ?? undefined, Date.now());
  if (parsed.success) return new ApiClientError(response.status, parsed.data.error, retryAfterMs);
  return new ApiClientError(response.status, {
    code: 'invalid_response',
    message: `The console server answered ${response.status} ${response.statusText}`.trim() + '.',
    hint: 'The body was not the console’s error shape; see the timeline or the server log.',
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
