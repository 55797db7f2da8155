import { describe, expect, it } from 'vitest';
import { basicAuthorization } from '../shared/test-helpers';
import { bearer, createTestSandbox, expectOAuthError, formPost, getPreset, getUserTokens, refreshRequest, send, type UserTokenBody } from './test-helpers';

const app = getPreset('confidential-app');

async function refreshOnce(sandbox: Parameters<typeof send>[0], token: string): Promise<UserTokenBody> {
  const response = await send(sandbox, '/auth/token', refreshRequest(app, token));
  expect(response.status).toBe(200);
  return (await response.json()) as UserTokenBody;
}

describe('refresh_token with rotation', () => {
  it('returns a new refresh token each time and retires the old one', async () => {
    const { sandbox } = createTestSandbox();
    const first = await getUserTokens(sandbox);
    const second = await refreshOnce(sandbox, first.refresh_token ?? '');
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second).toMatchObject({ scope: first.scope, patient: 'smart-1', id_token: expect.any(String) });
    const third = await refreshOnce(sandbox, second.refresh_token ?? '');
    expect((await send(sandbox, '/fhir/Patient', bearer(third.access_token))).status).toBe(200);
  });

  it('revokes the whole family when a used refresh token comes back, and says so', async () => {
    const { sandbox } = createTestSandbox();
    const first = await getUserTokens(sandbox);
    const second = await refreshOnce(sandbox, first.refresh_token ?? '');
    await expectOAuthError(
      await send(sandbox, '/auth/token', refreshRequest(app, first.refresh_token ?? '')),
      400,
      'invalid_grant',
      /already used.*every token of this grant is now revoked \(RFC 9700 §2\.2\.2\)/,
    );
    // The legitimate holder's newer tokens die with the family.
    await expectOAuthError(await send(sandbox, '/auth/token', refreshRequest(app, second.refresh_token ?? '')), 400, 'invalid_grant', /unknown or has been revoked/);
    const fhir = await send(sandbox, '/fhir/Patient', bearer(second.access_token));
    expect(fhir.status).toBe(401);
    expect(fhir.headers.get('www-authenticate')).toMatch(/invalid_token/);
    // Another sign-in is a new family and unaffected.
    const other = await getUserTokens(sandbox);
    expect((await send(sandbox, '/auth/token', refreshRequest(app, other.refresh_token ?? ''))).status).toBe(200);
  });

  it('may narrow the scope but not widen it', async () => {
    const { sandbox } = createTestSandbox();
    const first = await getUserTokens(sandbox);
    const auth = { Authorization: basicAuthorization(app.clientId, app.clientSecret) };
    const wider = await send(sandbox, '/auth/token', formPost({ grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'patient/*.cruds' }, auth));
    await expectOAuthError(wider, 400, 'invalid_scope', /cannot widen/);
    const narrower = await send(sandbox, '/auth/token', formPost({ grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'offline_access patient/*.rs' }, auth));
    expect(((await narrower.json()) as UserTokenBody).scope).toBe('offline_access patient/*.rs');
  });

  it('refuses another client’s refresh token', async () => {
    const { sandbox } = createTestSandbox();
    const first = await getUserTokens(sandbox);
    const publicApp = getPreset('public-app');
    await expectOAuthError(await send(sandbox, '/auth/token', refreshRequest(publicApp, first.refresh_token ?? '')), 400, 'invalid_grant', /another client/);
  });
});

describe('POST /auth/introspect', () => {
  it('tells a confidential client about its own tokens, and only them', async () => {
    const { sandbox, clock } = createTestSandbox();
    const tokens = await getUserTokens(sandbox);
    const auth = { Authorization: basicAuthorization(app.clientId, app.clientSecret) };
    const active = await send(sandbox, '/auth/introspect', formPost({ token: tokens.access_token }, auth));
    expect(await active.json()).toMatchObject({ active: true, client_id: app.clientId, patient: 'smart-1', scope: tokens.scope, sub: 'patient1' });
    const refresh = await send(sandbox, '/auth/introspect', formPost({ token: tokens.refresh_token }, auth));
    expect(await refresh.json()).toMatchObject({ active: true, token_type: 'refresh_token' });
    expect(await (await send(sandbox, '/auth/introspect', formPost({ token: 'garbage' }, auth))).json()).toEqual({ active: false });
    clock.advance(3601_000);
    expect(await (await send(sandbox, '/auth/introspect', formPost({ token: tokens.access_token }, auth))).json()).toEqual({ active: false });
  });

  it('refuses an unauthenticated or public caller', async () => {
    const { sandbox } = createTestSandbox();
    await expectOAuthError(await send(sandbox, '/auth/introspect', formPost({ token: 'x' })), 401, 'invalid_client');
    await expectOAuthError(await send(sandbox, '/auth/introspect', formPost({ token: 'x', client_id: 'smart-public-app' })), 401, 'invalid_client', /public client cannot introspect/);
  });
});
