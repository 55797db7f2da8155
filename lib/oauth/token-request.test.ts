import { describe, expect, it } from 'vitest';
import { bcda } from '@/lib/providers/bcda';
import type { GrantRecipe } from '@/lib/providers/schema';
import { buildTokenRequest, recipeDeviations } from './token-request';

const tokenUrl = new URL('https://sandbox.bcda.cms.gov/auth/token');
const credentials = { clientId: '2462c96b-6427-4efb-aed7-118e20c2e997', clientSecret: 's3cret' };

describe('buildTokenRequest', () => {
  it('builds BCDA’s request exactly as the seed: POST, Basic base64(id:secret), empty body, Accept json', () => {
    const request = buildTokenRequest(bcda.grant, tokenUrl, credentials);
    expect(request.method).toBe('POST');
    expect(request.url.toString()).toBe('https://sandbox.bcda.cms.gov/auth/token');
    expect(request.body).toBe('');
    expect(request.headers).toEqual([
      ['Accept', 'application/json'],
      ['Authorization', `Basic ${Buffer.from(`${credentials.clientId}:s3cret`).toString('base64')}`],
    ]);
  });

  const recipe = (overrides: Partial<GrantRecipe>): GrantRecipe => ({
    ...bcda.grant,
    extraParams: { grant_type: 'client_credentials' },
    ...overrides,
  });

  it('puts credentials in a form body for clientAuth form', () => {
    const request = buildTokenRequest(recipe({ clientAuth: 'form', body: 'form', scopes: ['system/*.rs'] }), tokenUrl, credentials);
    expect(new URLSearchParams(request.body)).toEqual(
      new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.rs', client_id: credentials.clientId, client_secret: 's3cret' }),
    );
    expect(request.headers).toContainEqual(['Content-Type', 'application/x-www-form-urlencoded']);
    expect(request.headers.some(([n]) => n === 'Authorization')).toBe(false);
  });

  it('sends a SMART Backend Services request for private_key_jwt: assertion and its type, no client_id, no secret', () => {
    const request = buildTokenRequest(
      recipe({ clientAuth: 'private_key_jwt', body: 'form', scopes: ['system/Patient.rs'] }),
      tokenUrl,
      { clientId: 'svc', clientSecret: '', clientAssertion: 'h.c.s' },
    );
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'system/Patient.rs',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'h.c.s',
    });
    expect(request.headers.some(([n]) => n === 'Authorization')).toBe(false);
  });

  it('refuses private_key_jwt without an assertion minted for the request', () => {
    expect(() => buildTokenRequest(recipe({ clientAuth: 'private_key_jwt', body: 'form' }), tokenUrl, credentials)).toThrow(/assertion/);
  });

  it('sends only client_id for a public client (clientAuth none), e.g. with an authorization code', () => {
    const request = buildTokenRequest(recipe({ clientAuth: 'none', body: 'form' }), tokenUrl, { clientId: 'app', clientSecret: '' }, {
      grant_type: 'authorization_code',
      code: 'c0de',
    });
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ grant_type: 'authorization_code', code: 'c0de', client_id: 'app' });
  });

  it('puts credentials in a JSON body for clientAuth json', () => {
    const request = buildTokenRequest(recipe({ clientAuth: 'json', body: 'json', extraParams: {} }), tokenUrl, credentials);
    expect(JSON.parse(request.body ?? '')).toEqual({ client_id: credentials.clientId, client_secret: 's3cret' });
    expect(request.headers).toContainEqual(['Content-Type', 'application/json']);
  });
});

describe('buildTokenRequest for authorization code and refresh', () => {
  const recipe: GrantRecipe = { ...bcda.grant, grantType: 'authorization_code', clientAuth: 'basic', body: 'form', scopes: ['openid'], extraParams: {} };
  it('sends only the grant parameters, with Basic client authentication', () => {
    const request = buildTokenRequest(recipe, tokenUrl, credentials, { grant_type: 'authorization_code', code: 'c1', redirect_uri: 'http://localhost:3000/api/oauth/x/callback', code_verifier: 'v' });
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'c1',
      redirect_uri: 'http://localhost:3000/api/oauth/x/callback',
      code_verifier: 'v',
    });
    expect(request.headers.find(([n]) => n === 'Authorization')?.[1]).toMatch(/^Basic /);
  });
  it('puts the client secret in the form for client_secret_post refreshes', () => {
    const request = buildTokenRequest({ ...recipe, clientAuth: 'form' }, tokenUrl, credentials, { grant_type: 'refresh_token', refresh_token: 'r1' });
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ grant_type: 'refresh_token', refresh_token: 'r1', client_id: credentials.clientId, client_secret: 's3cret' });
  });
  it('honours a chosen body format (Candid: JSON or form)', () => {
    const json = buildTokenRequest({ ...recipe, grantType: 'client_credentials', clientAuth: 'json', body: 'json', scopes: [] }, tokenUrl, credentials, {}, 'form');
    expect(json.headers).toContainEqual(['Content-Type', 'application/x-www-form-urlencoded']);
    expect(new URLSearchParams(json.body).get('client_secret')).toBe('s3cret');
  });
});

describe('recipeDeviations', () => {
  it('names BCDA’s missing grant_type as a known quirk', () => {
    expect(recipeDeviations(bcda.grant, bcda.knownDeviations)).toEqual([
      expect.objectContaining({ code: 'no_grant_type', known: true }),
    ]);
  });
  it('flags a GET token request', () => {
    const codes = recipeDeviations({ ...bcda.grant, httpMethod: 'GET', extraParams: { grant_type: 'client_credentials' } }, []).map((d) => d.code);
    expect(codes).toEqual(['token_request_get']);
  });
});
