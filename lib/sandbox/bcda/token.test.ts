import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createBcdaSandbox } from './index';
import { parseBasicCredentials } from './token';
import { basicAuthorization, createTestClock } from '../shared/test-helpers';
import { getPreset, send } from './test-helpers';

const extraSmall = getPreset('extra-small');

function tokenRequest(authorization?: string, init: RequestInit = {}): RequestInit {
  return { method: 'POST', ...init, headers: { ...(authorization ? { Authorization: authorization } : {}), Accept: 'application/json' } };
}

describe('POST /auth/token', () => {
  it('answers the seed curl (empty form body) with the exact SSAS bytes and headers', async () => {
    const sandbox = createBcdaSandbox();
    // curl -d "" sends an empty urlencoded body.
    const response = await send(sandbox, '/auth/token', {
      method: 'POST',
      body: '',
      headers: {
        Authorization: basicAuthorization(extraSmall.clientId, extraSmall.clientSecret),
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const text = await response.text();
    expect(text).toMatch(/^\{"access_token": "[\w-]+\.[\w-]+\.[\w-]+", "expires_in": "1200", "token_type":"bearer"\}$/);
  });

  it('mints an RS512 JWT with the SSAS claims that verifies against the JWKS', async () => {
    const clock = createTestClock();
    const sandbox = createBcdaSandbox({ now: clock.now });
    const response = await send(sandbox, '/auth/token', tokenRequest(basicAuthorization(extraSmall.clientId, extraSmall.clientSecret)));
    const { access_token: token } = (await response.json()) as { access_token: string };

    const jwks = (await (await send(sandbox, '/.well-known/jwks.json')).json()) as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS512', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'RS512', kid: jwks.keys[0]?.kid });

    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), { currentDate: new Date(clock.now()) });
    const issuedAt = Math.floor(clock.now() / 1000);
    expect(payload).toMatchObject({
      iss: 'ssas',
      iat: issuedAt,
      exp: issuedAt + 1200,
      use: 'AccessToken',
      cid: extraSmall.clientId,
      dat: '{"cms_ids":["SBXBD001"]}',
    });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.sys).toMatch(/^\d+$/);
    expect(payload).not.toHaveProperty('sub');
    expect(payload).not.toHaveProperty('aud');
  });

  it('keeps the system id stable per preset and different across presets', async () => {
    const sandbox = createBcdaSandbox();
    const systemIdOf = async (presetId: string) => {
      const preset = getPreset(presetId);
      const response = await send(sandbox, '/auth/token', tokenRequest(basicAuthorization(preset.clientId, preset.clientSecret)));
      const { access_token: token } = (await response.json()) as { access_token: string };
      return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sys as string;
    };
    expect(await systemIdOf('extra-small')).toBe(await systemIdOf('extra-small'));
    expect(await systemIdOf('extra-small')).not.toBe(await systemIdOf('reach-large'));
  });

  it('accepts all six presets', async () => {
    const sandbox = createBcdaSandbox();
    for (const id of ['extra-small', 'extra-large', 'advanced-extra-small', 'advanced-large', 'reach-extra-small', 'reach-large']) {
      const preset = getPreset(id);
      const response = await send(sandbox, '/auth/token', tokenRequest(basicAuthorization(preset.clientId, preset.clientSecret)));
      expect(response.status, id).toBe(200);
    }
  });

  it.each([
    ['no Authorization header', undefined],
    ['a Bearer header', 'Bearer abc'],
    ['invalid base64', 'Basic ***'],
    ['no colon in the credentials', `Basic ${Buffer.from('just-an-id').toString('base64')}`],
  ])('answers 400 "Bad Request" for %s', async (_name, authorization) => {
    const response = await send(createBcdaSandbox(), '/auth/token', tokenRequest(authorization));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('Bad Request\n');
  });

  it.each([
    ['a wrong secret', basicAuthorization(extraSmall.clientId, 'not-the-secret')],
    ['an unknown client', basicAuthorization('someone', extraSmall.clientSecret)],
    ['a secret of another preset', basicAuthorization(extraSmall.clientId, getPreset('reach-large').clientSecret)],
  ])('answers 401 "Unauthorized" for %s', async (_name, authorization) => {
    const response = await send(createBcdaSandbox(), '/auth/token', tokenRequest(authorization));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('Unauthorized\n');
  });

  it('answers 405 to GET', async () => {
    const response = await send(createBcdaSandbox(), '/auth/token');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('rate-limits per ACO with 429, the SSAS message and Retry-After', async () => {
    const clock = createTestClock();
    const sandbox = createBcdaSandbox({ now: clock.now, tokenRateLimit: { max: 2, windowSeconds: 60 } });
    const request = () => send(sandbox, '/auth/token', tokenRequest(basicAuthorization(extraSmall.clientId, extraSmall.clientSecret)));
    expect((await request()).status).toBe(200);
    expect((await request()).status).toBe(200);
    const limited = await request();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(limited.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await limited.text()).toBe(
      'SBXBD001 exceeded the rate limit for /auth/token. Access tokens last 20 minutes; please cache and reuse them.\n',
    );

    const other = getPreset('reach-large');
    const otherAco = await send(sandbox, '/auth/token', tokenRequest(basicAuthorization(other.clientId, other.clientSecret)));
    expect(otherAco.status).toBe(200);

    clock.advance(60_000);
    expect((await request()).status).toBe(200);
  });
});

describe('parseBasicCredentials', () => {
  it('reads the scheme case-insensitively and splits at the first colon, like Go', () => {
    const encoded = Buffer.from('id:sec:ret').toString('base64');
    expect(parseBasicCredentials(`basic ${encoded}`)).toEqual({ clientId: 'id', clientSecret: 'sec:ret' });
    expect(parseBasicCredentials(`Basic ${encoded}`)).toEqual({ clientId: 'id', clientSecret: 'sec:ret' });
    expect(parseBasicCredentials(null)).toBeUndefined();
  });
});
