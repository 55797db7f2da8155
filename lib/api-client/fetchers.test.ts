import { afterEach, describe, expect, it, vi } from 'vitest';
import { postFhirRequest, postToken } from './fetchers';
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
  fingerprint: { sha256Prefix: 'abcd1234', length: 600 },
  format: 'jwt',
  verification: { status: 'unverifiable', reason: 'no JWKS' },
  expiresInRaw: '1200',
  issuedAt: 1_000,
  expiresAt: 1_201_000,
  deviations: [],
  reused: false,
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('postToken', () => {
  it('sends the custom secret once in the body and measures the clock offset', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(Response.json({ token: tokenDto, serverNow: Date.now() + 5000 })));
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
