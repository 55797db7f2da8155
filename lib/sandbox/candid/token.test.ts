import { createLocalJWKSet, decodeProtectedHeader, importSPKI, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { createCandidSandbox } from './index';
import { createTestClock } from '../shared/test-helpers';
import { formTokenRequest, getPreset, jsonTokenRequest, send, testBase } from './test-helpers';

const billing = getPreset('demo-billing');
const readOnly = getPreset('demo-read-only');
const tokenPath = '/api/auth/v2/token';

function post(body: string, contentType?: string): RequestInit {
  return { method: 'POST', body, headers: contentType ? { 'Content-Type': contentType } : {} };
}

describe('POST /api/auth/v2/token', () => {
  it('answers the seed’s JSON body with a Bearer token that lives 18000 s', async () => {
    const response = await send(createCandidSandbox(), tokenPath, jsonTokenRequest(billing.clientId, billing.clientSecret));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body).toMatchObject({ expires_in: 18000, token_type: 'Bearer' });
    expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('answers the seed’s URL-encoded form body alike', async () => {
    const response = await send(createCandidSandbox(), tokenPath, formTokenRequest(readOnly.clientId, readOnly.clientSecret));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ expires_in: 18000, token_type: 'Bearer' });
  });

  it('takes a charset parameter and ignores a grant_type an OAuth library adds', async () => {
    const sandbox = createCandidSandbox();
    const json = JSON.stringify({ client_id: billing.clientId, client_secret: billing.clientSecret, grant_type: 'client_credentials' });
    expect((await send(sandbox, tokenPath, post(json, 'application/json; charset=utf-8'))).status).toBe(200);
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: billing.clientId, client_secret: billing.clientSecret });
    expect((await send(sandbox, tokenPath, post(form.toString(), 'application/x-www-form-urlencoded;charset=UTF-8'))).status).toBe(200);
  });

  it('honours a configured lifetime (the SDK example’s 86400)', async () => {
    const response = await send(
      createCandidSandbox({ tokenLifetimeSeconds: 86_400 }),
      tokenPath,
      jsonTokenRequest(billing.clientId, billing.clientSecret),
    );
    expect(await response.json()).toMatchObject({ expires_in: 86_400 });
  });

  it('mints an Auth0-style RS256 JWT that verifies against the JWKS', async () => {
    const clock = createTestClock();
    const sandbox = createCandidSandbox({ now: clock.now });
    const response = await send(sandbox, tokenPath, jsonTokenRequest(billing.clientId, billing.clientSecret));
    const { access_token: token } = (await response.json()) as { access_token: string };

    const jwksResponse = await send(sandbox, '/.well-known/jwks.json');
    expect(jwksResponse.status).toBe(200);
    const jwks = (await jwksResponse.json()) as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: jwks.keys[0]?.kid });

    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { currentDate: new Date(clock.now()) });
    const issuedAt = Math.floor(clock.now() / 1000);
    expect(payload).toEqual({
      iss: `${testBase}/`,
      sub: `${billing.clientId}@clients`,
      aud: 'https://api.joincandidhealth.com',
      iat: issuedAt,
      exp: issuedAt + 18000,
      gty: 'client-credentials',
      azp: billing.clientId,
      org_id: billing.facts.organizationId,
      permissions: ['read:encounters', 'write:encounters', 'read:payers'],
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('publishes the same key as a PEM at /pem, like candidhealth.auth0.com/pem', async () => {
    const clock = createTestClock();
    const sandbox = createCandidSandbox({ now: clock.now });
    const response = await send(sandbox, tokenPath, jsonTokenRequest(readOnly.clientId, readOnly.clientSecret));
    const { access_token: token } = (await response.json()) as { access_token: string };
    const pem = await send(sandbox, '/pem');
    expect(pem.headers.get('content-type')).toBe('application/x-pem-file');
    const text = await pem.text();
    expect(text).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const { payload } = await jwtVerify(token, await importSPKI(text, 'RS256'), { currentDate: new Date(clock.now()) });
    expect(payload.permissions).toEqual(['read:encounters', 'read:payers']);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
  ])('answers 415 InvalidContentTypeError for %s', async (mediaType, contentType) => {
    const body = JSON.stringify({ client_id: billing.clientId, client_secret: billing.clientSecret });
    const response = await send(createCandidSandbox(), tokenPath, post(body, contentType));
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      errorName: 'InvalidContentTypeError',
      content: { message: `Expected Content-Type application/json or application/x-www-form-urlencoded; got Content-Type ${mediaType}.` },
    });
  });

  it('answers 415 naming no Content-Type when the header is absent', async () => {
    const request = new Request(`${testBase}${tokenPath}`, { method: 'POST', body: new Uint8Array([123, 125]) });
    expect(request.headers.get('content-type')).toBeNull();
    const response = await createCandidSandbox().handle(request, tokenPath);
    expect(response.status).toBe(415);
    expect(((await response.json()) as { content: { message: string } }).content.message).toContain('got no Content-Type.');
  });

  it.each([
    ['malformed JSON', post('{"client_id":', 'application/json'), [{ fieldName: 'body', humanReadableMessage: 'The request body is not valid JSON.' }]],
    [
      'a JSON array',
      post('[]', 'application/json'),
      [{ fieldName: 'body', humanReadableMessage: 'The request body must be a JSON object with client_id and client_secret.' }],
    ],
    [
      'a JSON body without client_secret',
      post(JSON.stringify({ client_id: billing.clientId }), 'application/json'),
      [{ fieldName: 'client_secret', humanReadableMessage: 'client_secret is required.' }],
    ],
    [
      'a numeric client_id',
      post(JSON.stringify({ client_id: 42, client_secret: 'x' }), 'application/json'),
      [{ fieldName: 'client_id', humanReadableMessage: 'client_id must be a string.' }],
    ],
    [
      'an empty form',
      post('', 'application/x-www-form-urlencoded'),
      [
        { fieldName: 'client_id', humanReadableMessage: 'client_id is required.' },
        { fieldName: 'client_secret', humanReadableMessage: 'client_secret is required.' },
      ],
    ],
  ])('answers 422 HttpRequestValidationsError for %s', async (_name, init, content) => {
    const response = await send(createCandidSandbox(), tokenPath, init);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ errorName: 'HttpRequestValidationsError', content });
  });

  it.each([
    ['a wrong secret', jsonTokenRequest(billing.clientId, 'not-the-secret')],
    ['an unknown client', jsonTokenRequest('someone-else', billing.clientSecret)],
    ['the secret of the other preset', formTokenRequest(billing.clientId, readOnly.clientSecret)],
    ['empty credentials', jsonTokenRequest('', '')],
  ])('answers 401 UnauthorizedError for %s', async (_name, init) => {
    const response = await send(createCandidSandbox(), tokenPath, init);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errorName: 'UnauthorizedError', content: { message: 'Invalid client credentials' } });
  });

  it('answers 405 to GET', async () => {
    const response = await send(createCandidSandbox(), tokenPath);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('token rate limit', () => {
  it('answers 429 TooManyRequestsError with Retry-After once a client mints too often', async () => {
    const clock = createTestClock();
    const sandbox = createCandidSandbox({ now: clock.now, tokenRateLimit: { max: 2, windowSeconds: 60 } });
    const mint = () => send(sandbox, tokenPath, jsonTokenRequest(billing.clientId, billing.clientSecret));
    expect((await mint()).status).toBe(200);
    clock.advance(1_000);
    expect((await mint()).status).toBe(200);
    clock.advance(29_000);

    const limited = await mint();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(await limited.json()).toEqual({
      errorName: 'TooManyRequestsError',
      content: { message: 'Too many token requests: reuse your token until it expires.' },
    });

    const other = await send(sandbox, tokenPath, formTokenRequest(readOnly.clientId, readOnly.clientSecret));
    expect(other.status).toBe(200);

    clock.advance(30_000);
    expect((await mint()).status).toBe(200);
  });

  it('does not count refused credentials against the client', async () => {
    const sandbox = createCandidSandbox({ tokenRateLimit: { max: 1, windowSeconds: 60 } });
    for (let i = 0; i < 3; i++) {
      expect((await send(sandbox, tokenPath, jsonTokenRequest(billing.clientId, 'wrong'))).status).toBe(401);
    }
    expect((await send(sandbox, tokenPath, jsonTokenRequest(billing.clientId, billing.clientSecret))).status).toBe(200);
  });

  it('allows 10 tokens per minute by default', async () => {
    const sandbox = createCandidSandbox({ now: createTestClock().now });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await send(sandbox, tokenPath, jsonTokenRequest(billing.clientId, billing.clientSecret))).status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
  });
});
