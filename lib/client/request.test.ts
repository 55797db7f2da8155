import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiClientError, isNetworkError, shouldRetryQuery } from './api-client-error';
import { apiRequest } from './request';

function mockFetch(response: Response | Error) {
  const fn = vi.fn<typeof fetch>(() => (response instanceof Error ? Promise.reject(response) : Promise.resolve(response)));
  vi.stubGlobal('fetch', fn);
  return fn;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('apiRequest', () => {
  it('GETs same-origin, uncached, without the CSRF header', async () => {
    const fetchMock = mockFetch(Response.json({ ok: true }));
    await expect(apiRequest('/api/x', z.object({ ok: z.boolean() }))).resolves.toEqual({ ok: true });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/x');
    expect(init).toMatchObject({ method: 'GET', credentials: 'same-origin', cache: 'no-store' });
    expect(init?.headers).not.toHaveProperty('x-console-request');
  });

  it('sends the CSRF header and JSON content type on POST and DELETE', async () => {
    for (const method of ['POST', 'DELETE'] as const) {
      const fetchMock = mockFetch(Response.json({ ok: true }));
      await apiRequest('/api/x', z.object({ ok: z.boolean() }), { method, body: method === 'POST' ? { a: 1 } : undefined });
      const init = fetchMock.mock.calls[0]![1]!;
      expect(init.headers).toMatchObject({ 'x-console-request': '1', 'content-type': 'application/json' });
      if (method === 'POST') expect(init.body).toBe('{"a":1}');
    }
  });

  it('throws the server’s error body as ApiClientError', async () => {
    mockFetch(
      Response.json(
        {
          error: {
            code: 'upstream_rejected',
            message: 'BCDA refused the credentials',
            hint: 'Check the secret',
            upstream: { status: 401, contentType: 'text/plain', body: 'Unauthorized\n' },
          },
        },
        { status: 502 },
      ),
    );
    const error = await apiRequest('/api/x', z.object({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    const apiError = error as ApiClientError;
    expect(apiError.status).toBe(502);
    expect(apiError.code).toBe('upstream_rejected');
    expect(apiError.body.upstream?.body).toBe('Unauthorized\n');
    expect(shouldRetryQuery(0, apiError)).toBe(false);
  });

  it('maps an unreadable error body to invalid_response', async () => {
    mockFetch(new Response('<html>oops</html>', { status: 500, statusText: 'Internal Server Error' }));
    await expect(apiRequest('/api/x', z.object({}))).rejects.toMatchObject({ status: 500, body: { code: 'invalid_response' } });
  });

  it('reports a 2xx body of the wrong shape with its issues', async () => {
    mockFetch(Response.json({ ok: 'yes' }));
    const error = (await apiRequest('/api/x', z.object({ ok: z.boolean() })).catch((e: unknown) => e)) as ApiClientError;
    expect(error.code).toBe('invalid_response');
    expect(error.body.issues?.[0]?.path).toBe('ok');
  });

  it('turns a network failure into a retryable network_error', async () => {
    mockFetch(new TypeError('Failed to fetch'));
    const error = await apiRequest('/api/x', z.object({})).catch((e: unknown) => e);
    expect(isNetworkError(error)).toBe(true);
    expect(shouldRetryQuery(0, error)).toBe(true);
    expect(shouldRetryQuery(1, error)).toBe(false);
  });
});
