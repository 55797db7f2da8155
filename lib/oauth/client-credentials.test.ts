import { describe, expect, it } from 'vitest';
import { bcda } from '@/lib/providers/bcda';
import type { GrantRecipe } from '@/lib/providers/schema';
import { buildClientCredentialsRequest, recipeDeviations } from './client-credentials';

const tokenUrl = new URL('https://sandbox.bcda.cms.gov/auth/token');
const credentials = { clientId: '2462c96b-6427-4efb-aed7-118e20c2e997', clientSecret: 's3cret' };

describe('buildClientCredentialsRequest', () => {
  it('builds BCDA’s request exactly as the seed: POST, Basic base64(id:secret), empty body, Accept json', () => {
    const request = buildClientCredentialsRequest(bcda.grant, tokenUrl, credentials);
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
    const request = buildClientCredentialsRequest(recipe({ clientAuth: 'form', body: 'form', scopes: ['system/*.rs'] }), tokenUrl, credentials);
    expect(new URLSearchParams(request.body)).toEqual(
      new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.rs', client_id: credentials.clientId, client_secret: 's3cret' }),
    );
    expect(request.headers).toContainEqual(['Content-Type', 'application/x-www-form-urlencoded']);
    expect(request.headers.some(([n]) => n === 'Authorization')).toBe(false);
  });

  it('puts credentials in a JSON body for clientAuth json', () => {
    const request = buildClientCredentialsRequest(recipe({ clientAuth: 'json', body: 'json', extraParams: {} }), tokenUrl, credentials);
    expect(JSON.parse(request.body ?? '')).toEqual({ client_id: credentials.clientId, client_secret: 's3cret' });
    expect(request.headers).toContainEqual(['Content-Type', 'application/json']);
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
