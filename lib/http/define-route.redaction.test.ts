import { describe, expect, it } from 'vitest';
import { defineRoute } from './define-route';
import { HttpError } from './errors';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsYXN0LWxpbmUifQ.c2lnbmF0dXJlLW9mLXRoZS1sYXN0LWxpbmU';
const SECRET = 'last-line-client-secret-0123456789';
const noParams = { params: Promise.resolve({}) };

describe('defineRoute error bodies', () => {
  it('SECURITY 15: an error body leaves through the field- and scheme-based redaction, whatever built its words', async () => {
    const route = defineRoute({ session: 'none' }, async () => {
      // As if some explanation quoted an upstream answer unredacted.
      throw new HttpError(424, 'upstream_rejected', `The provider said: Authorization: Bearer ${JWT}`, {
        hint: `It got grant_type=client_credentials&client_secret=${SECRET}`,
        upstream: { status: 400, contentType: 'application/json', body: `{"access_token":"${JWT}","refresh_token":"${SECRET}"}` },
      });
    });
    const response = await route(new Request('http://localhost:3000/api/x'), noParams);
    expect(response.status).toBe(424);
    const text = await response.text();
    expect(text).not.toContain(JWT);
    expect(text).not.toContain(SECRET);
    const body = JSON.parse(text) as { error: { code: string; message: string; hint: string; upstream: { status: number } } };
    expect(body.error).toMatchObject({ code: 'upstream_rejected', upstream: { status: 400 } });
    expect(body.error.message).toBe('The provider said: Authorization: Bearer [redacted]');
    expect(body.error.hint).toMatch(/^It got grant_type=client_credentials&client_secret=%5Bredacted%20hmac%3A[0-9a-f]{12}%20\d+%20chars%5D$/);
  });
});
