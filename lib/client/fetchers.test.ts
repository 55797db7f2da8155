import { afterEach, describe, expect, it, vi } from 'vitest';
import { isNavigableUrl, postAuthorize, postFhirRequest, postRefresh, postToken } from './fetchers';
import { OneTimeSecret } from './one-time-secret';

const tokenDto = {
  providerId: 'bcda',
  environmentId: 'builtin',
  credentialLabel: 'Yours',
  clientId: 'abc',
  tokenType: 'bearer',
  maskedToken: 'eyJ…xyz',
  grantType: 'client_credentials',
  responseFacts: {},
  fingerprint: { hmacPrefix: 'abcd1234', length: 600 },
  format: 'jwt',
  verification: { status: 'unverifiable', reason: 'no JWKS' },
  expiresInRaw: '1200',
  issuedAt: 1_000,
  expiresAt: 1_201_000,
  deviations: [],
  reused: false,
    reuses: [],
};

/** The session a token answer carries: the token and its exchange. */
const sessionWith = (token: typeof tokenDto) => ({ serverNow: Date.now(), sessionTag: 'tag', tokens: [token], exchanges: [], flowErrors: [], simulations: [], endedTokens: [] });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('postToken', () => {
  it('sends the custom secret once in the body and measures the clock offset', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(Response.json({ token: tokenDto, serverNow: Date.now() + 5000, session: sessionWith(tokenDto) })));
    vi.stubGlobal('fetch', fetchMock);
    const secret = new OneTimeSecret('s3cr3t');
    const result = await postToken('bcda', {
      environmentId: 'builtin',
      credential: { kind: 'custom', clientId: 'abc', clientSecret: secret },
    });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/oauth/bcda/token');
    expect(JSON.parse(String(init?.body))).toEqual({
      environmentId: 'builtin',
      credential: { kind: 'custom', clientId: 'abc', clientSecret: 's3cr3t' },
      forceNew: false,
    });
    expect(secret.consumed).toBe(true);
    expect(result.clockOffsetMs).toBeGreaterThan(4000);
    expect(result.clockOffsetMs).toBeLessThanOrEqual(5000);
  });

  it('refuses an empty secret without calling the server', async () => {
    const fetchMock = vi.fn<typeof fetch>();
    vi.stubGlobal('fetch', fetchMock);
    await expect(
      postToken('bcda', {
        environmentId: 'builtin',
        credential: { kind: 'custom', clientId: 'abc', clientSecret: new OneTimeSecret('') },
      }),
    ).rejects.toMatchObject({ body: { code: 'invalid_request' } });
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe('postToken body format', () => {
  it('sends bodyFormat when chosen', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(Response.json({ token: tokenDto, serverNow: Date.now(), session: sessionWith(tokenDto) })));
    vi.stubGlobal('fetch', fetchMock);
    await postToken('candid', { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'demo' }, bodyFormat: 'form' });
    expect(JSON.parse(String(fetchMock.mock.calls[0]![1]?.body))).toMatchObject({ bodyFormat: 'form' });
  });
});

describe('postAuthorize', () => {
  it('posts the credential with the CSRF header and returns the authorize URL', async () => {
    const fetchMock = vi.fn<typeof fetch>(() =>
      Promise.resolve(
        Response.json({
          authorizeUrl: 'http://localhost:3000/sandbox/bluebutton/v2/o/authorize?client_id=x&state=s',
          redirectUri: 'http://localhost:3000/api/oauth/bluebutton/callback',
        }),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const secret = new OneTimeSecret('s3cr3t');
    const result = await postAuthorize('bluebutton', {
      environmentId: 'sandbox',
      credential: { kind: 'custom', clientId: 'abc', clientSecret: secret },
    });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/oauth/bluebutton/authorize');
    expect(new Headers(init?.headers).get('x-console-request')).toBe('1');
    expect(JSON.parse(String(init?.body))).toEqual({
      environmentId: 'sandbox',
      credential: { kind: 'custom', clientId: 'abc', clientSecret: 's3cr3t' },
    });
    expect(secret.consumed).toBe(true);
    expect(result.redirectUri).toBe('http://localhost:3000/api/oauth/bluebutton/callback');
  });

  it('refuses to hand back a URL that is not http(s)', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(() => Promise.resolve(Response.json({ authorizeUrl: 'javascript:alert(1)', redirectUri: 'x' }))),
    );
    await expect(
      postAuthorize('bluebutton', { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'demo' } }),
    ).rejects.toMatchObject({ body: { code: 'invalid_response' } });
  });

  it('knows navigable URLs', () => {
    expect(isNavigableUrl('https://sandbox.bluebutton.cms.gov/v2/o/authorize/')).toBe(true);
    expect(isNavigableUrl('/relative')).toBe(false);
    expect(isNavigableUrl('data:text/html,x')).toBe(false);
  });
});

describe('postRefresh', () => {
  it('posts without a body and surfaces reauth_required as an ApiClientError', async () => {
    const fetchMock = vi.fn<typeof fetch>(() =>
      Promise.resolve(
        Response.json(
          { error: { code: 'reauth_required', message: 'The refresh token was refused.', hint: 'Authorize again.' } },
          { status: 409 },
        ),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    await expect(postRefresh('bluebutton')).rejects.toMatchObject({ status: 409, code: 'reauth_required' });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/oauth/bluebutton/refresh');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBeUndefined();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});

describe('the BFF’s Retry-After', () => {
  it('rides on the ApiClientError of a 429, in milliseconds; absent elsewhere', async () => {
    const rateLimited = () =>
      Response.json({ error: { code: 'upstream_rate_limited', message: 'Too many token requests.' } }, { status: 429, headers: { 'Retry-After': '300' } });
    vi.stubGlobal('fetch', vi.fn<typeof fetch>(() => Promise.resolve(rateLimited())));
    await expect(postRefresh('bcda')).rejects.toMatchObject({ status: 429, retryAfterMs: 300_000 });
    vi.stubGlobal('fetch', vi.fn<typeof fetch>(() => Promise.resolve(Response.json({ error: { code: 'reauth_required', message: 'x' } }, { status: 409 }))));
    await expect(postRefresh('bcda')).rejects.toMatchObject({ status: 409, retryAfterMs: null });
  });
});

describe('postFhirRequest', () => {
  it('posts the proxy request with defaults applied', async () => {
    const fetchMock = vi.fn<typeof fetch>(() =>
      Promise.resolve(
        Response.json({
          status: 202,
          statusText: 'Accepted',
          headers: [['content-location', 'http://127.0.0.1:3000/sandbox/bcda/api/v2/jobs/7']],
          durationMs: 12,
          url: 'http://127.0.0.1:3000/sandbox/bcda/api/v2/Patient/$export',
          contentType: null,
          bodyKind: 'empty',
          exchangeId: 'ex1',
          size: 0,
        }),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const response = await postFhirRequest('bcda', { path: '/api/v2/Patient/$export' });
    expect(response.status).toBe(202);
    expect(JSON.parse(String(fetchMock.mock.calls[0]![1]?.body))).toEqual({
      method: 'GET',
      path: '/api/v2/Patient/$export',
      headers: {},
      previewLines: 20,
    });
  });
});
