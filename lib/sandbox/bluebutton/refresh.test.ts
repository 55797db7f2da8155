import { describe, expect, it } from 'vitest';
import { basicAuthorization } from '../shared/test-helpers';
import { bearer, createTestSandbox, formPost, getApp, getTokens, refreshRequest, send, type TokenBody } from './test-helpers';

const app = getApp('demo-demographic');
const otherApp = getApp('demo-no-demographic');
const clientAuth = { Authorization: basicAuthorization(app.clientId, app.clientSecret) };
const expiredGrantBody =
  '{"status_code": 400, "error": "invalid_grant", "error_description": "The authorization for accessing user data has expired. To refresh Medicare data, the end user must re-authenticate and consent to data sharing."}';

describe('refresh tokens', () => {
  it('rotate: the new pair works, the old refresh token is invalid_grant and its access token is revoked', async () => {
    const { sandbox } = createTestSandbox();
    const first = await getTokens(sandbox);
    const response = await send(sandbox, '/v2/o/token/', refreshRequest(app, first.refresh_token));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const second = (await response.json()) as TokenBody;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second).toMatchObject({ scope: first.scope, patient: first.patient, access_grant_expiration: first.access_grant_expiration, expires_in: 3600 });

    const reused = await send(sandbox, '/v2/o/token/', refreshRequest(app, first.refresh_token));
    expect(reused.status).toBe(400);
    expect(await reused.text()).toBe('{"error": "invalid_grant"}');
    expect((await send(sandbox, '/v2/fhir/ExplanationOfBenefit/', bearer(first.access_token))).status).toBe(401);
    expect((await send(sandbox, '/v2/fhir/ExplanationOfBenefit/', bearer(second.access_token))).status).toBe(200);
    expect((await send(sandbox, '/v2/o/token/', refreshRequest(app, second.refresh_token))).status).toBe(200);
  });

  it('belong to their client', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    const response = await send(sandbox, '/v2/o/token/', refreshRequest(otherApp, tokens.refresh_token));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_grant' });
  });

  it('may narrow the scope but not widen it', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox, { shareDemographic: false });
    const widen = await send(sandbox, '/v2/o/token/', formPost({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, scope: 'patient/Patient.rs' }, clientAuth));
    expect(await widen.json()).toEqual({ error: 'invalid_scope' });
    const narrow = await send(
      sandbox,
      '/v2/o/token/',
      formPost({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, scope: 'patient/Coverage.rs' }, clientAuth),
    );
    expect(((await narrow.json()) as TokenBody).scope).toBe('patient/Coverage.rs');
  });

  it('answer the long invalid_grant body once the 13-month grant has expired', async () => {
    const { sandbox, clock } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    clock.advance(396 * 86_400_000);
    const response = await send(sandbox, '/v2/o/token/', refreshRequest(app, tokens.refresh_token));
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(expiredGrantBody);
  });

  it('answer missing parameters and a missing client like oauthlib', async () => {
    const { sandbox } = createTestSandbox();
    const missing = await send(sandbox, '/v2/o/token/', formPost({ grant_type: 'refresh_token' }, clientAuth));
    expect(await missing.text()).toBe('{"error": "invalid_request", "error_description": "Missing refresh token parameter."}');
    const tokens = await getTokens(sandbox);
    const anonymous = await send(sandbox, '/v2/o/token/', formPost({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }));
    expect(anonymous.status).toBe(401);
  });
});

describe('access token lifetime and the data-access grant', () => {
  it('accepts the token for an hour, then answers 401 with DRF’s body and an invalid_token challenge', async () => {
    const { sandbox, clock } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    clock.advance(3600_000 - 1);
    expect((await send(sandbox, '/v2/fhir/Coverage/', bearer(tokens.access_token))).status).toBe(200);
    clock.advance(1);
    const response = await send(sandbox, '/v2/fhir/Coverage/', bearer(tokens.access_token));
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('{"detail":"Authentication credentials were not provided."}');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api",error="invalid_token",error_description="The access token has expired."');
    // A refresh after expiry gives a working token again.
    const refreshed = (await (await send(sandbox, '/v2/o/token/', refreshRequest(app, tokens.refresh_token))).json()) as TokenBody;
    expect((await send(sandbox, '/v2/fhir/Coverage/', bearer(refreshed.access_token))).status).toBe(200);
  });

  it('answers 401 "User access has timed out" when the grant expires while a token is live', async () => {
    const { sandbox, clock } = createTestSandbox({ accessTokenLifetimeSeconds: 400 * 86_400 });
    const tokens = await getTokens(sandbox);
    clock.advance(396 * 86_400_000);
    const response = await send(sandbox, '/v2/fhir/Coverage/', bearer(tokens.access_token));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/^User access has timed out\./);
  });

  it('lets expire_authenticated_user remove the grant: 403 on FHIR, invalid_grant on refresh', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    const path = `/v2/o/expire_authenticated_user/${tokens.patient}/`;
    expect((await send(sandbox, path, { method: 'POST' })).status).toBe(403);
    const expired = await send(sandbox, path, { method: 'POST', headers: clientAuth });
    expect(expired.status).toBe(200);
    expect(await expired.text()).toBe('success');
    const again = await send(sandbox, path, { method: 'POST', headers: clientAuth });
    expect(again.status).toBe(404);
    expect(await again.text()).toBe('Data Access Grant was Not Found.');
    const unknown = await send(sandbox, '/v2/o/expire_authenticated_user/-19990000000001/', { method: 'POST', headers: clientAuth });
    expect(unknown.status).toBe(404);

    const fhir = await send(sandbox, '/v2/fhir/ExplanationOfBenefit/', bearer(tokens.access_token));
    expect(fhir.status).toBe(403);
    expect(await fhir.text()).toBe('{"detail":"You do not have permission to perform this action."}');
    const refresh = await send(sandbox, '/v2/o/token/', refreshRequest(app, tokens.refresh_token));
    expect(await refresh.text()).toBe(expiredGrantBody);
  });
});

describe('revoke and introspect', () => {
  it('introspects the client’s own live tokens (RFC 7662)', async () => {
    const { sandbox, clock } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    const response = await send(sandbox, '/v2/o/introspect/', formPost({ token: tokens.access_token }, clientAuth));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      active: true,
      scope: tokens.scope,
      exp: Math.floor(clock.now() / 1000) + 3600,
      client_id: app.clientId,
      username: tokens.patient,
      patient: tokens.patient,
    });
    const byOther = await send(sandbox, '/v2/o/introspect/', formPost({ token: tokens.access_token }, { Authorization: basicAuthorization(otherApp.clientId, otherApp.clientSecret) }));
    expect(await byOther.json()).toEqual({ active: false });
    expect((await send(sandbox, '/v2/o/introspect/', formPost({ token: tokens.access_token }))).status).toBe(403);
    clock.advance(3600_000);
    expect(await (await send(sandbox, '/v2/o/introspect/', formPost({ token: tokens.access_token }, clientAuth))).json()).toEqual({ active: false });
  });

  it('revokes a refresh token with its access token, and answers 200 to unknown tokens (RFC 7009)', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    const response = await send(sandbox, '/v2/o/revoke_token/', formPost({ token: tokens.refresh_token, token_type_hint: 'refresh_token' }, clientAuth));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect((await send(sandbox, '/v2/fhir/Coverage/', bearer(tokens.access_token))).status).toBe(401);
    expect((await send(sandbox, '/v2/o/token/', refreshRequest(app, tokens.refresh_token))).status).toBe(400);
    expect((await send(sandbox, '/v2/o/revoke_token/', formPost({ token: 'nope' }, clientAuth))).status).toBe(200);
    const anonymous = await send(sandbox, '/v2/o/revoke_token/', formPost({ token: 'nope' }));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toBe('{"error": "invalid_client"}');
  });

  it('revokes an access token alone; its refresh token still works', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    await send(sandbox, '/v2/o/revoke_token/', formPost({ token: tokens.access_token }, clientAuth));
    expect((await send(sandbox, '/v2/fhir/Coverage/', bearer(tokens.access_token))).status).toBe(401);
    expect((await send(sandbox, '/v2/o/token/', refreshRequest(app, tokens.refresh_token))).status).toBe(200);
  });

  it('does not let one client revoke another’s token', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    await send(sandbox, '/v2/o/revoke_token/', formPost({ token: tokens.access_token }, { Authorization: basicAuthorization(otherApp.clientId, otherApp.clientSecret) }));
    expect((await send(sandbox, '/v2/fhir/Coverage/', bearer(tokens.access_token))).status).toBe(200);
  });
});
