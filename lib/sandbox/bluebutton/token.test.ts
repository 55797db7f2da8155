import { describe, expect, it } from 'vitest';
import { parseBasicCredentials } from './client-auth';
import { basicAuthorization } from '../shared/test-helpers';
import { bearer, codeTokenRequest, createTestSandbox, formPost, getApp, otherRedirectUri, runAuthorization, send, type TokenBody } from './test-helpers';

const app = getApp('demo-demographic');
const otherApp = getApp('demo-no-demographic');

describe('POST /v2/o/token/ with an authorization code', () => {
  it('returns Blue Button’s token response: opaque tokens, patient, access_grant_expiration, no-store', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    const response = await send(sandbox, '/v2/o/token/', codeTokenRequest(app, code, verifier));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const text = await response.text();
    const body = JSON.parse(text) as TokenBody;
    expect(Object.keys(body)).toEqual(['access_token', 'expires_in', 'token_type', 'scope', 'refresh_token', 'patient', 'access_grant_expiration']);
    expect(body).toMatchObject({
      expires_in: 3600,
      token_type: 'Bearer',
      scope: 'openid profile patient/Patient.rs patient/ExplanationOfBenefit.rs patient/Coverage.rs',
      patient: '-20140000000001',
    });
    expect(body.access_token).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(body.access_token.split('.')).toHaveLength(1);
    // 2026-08-21 20:44:01 + 13 months.
    expect(body.access_grant_expiration).toBe('2027-09-21 20:44:01Z');
    expect(clock.now()).toBe(Date.UTC(2026, 7, 21, 20, 44, 1, 705));
    // Python's json.dumps spacing, as Django writes it.
    expect(text).toContain('"expires_in": 3600, "token_type": "Bearer"');
  });

  it('takes the client credentials in the form body too, and the path without its trailing slash', async () => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    const response = await send(
      sandbox,
      '/v2/o/token',
      formPost({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://localhost:3000/api/oauth/bluebutton/callback',
        code_verifier: verifier,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
    );
    expect(response.status).toBe(200);
  });

  it.each([
    ['a wrong secret', { Authorization: basicAuthorization(app.clientId, 'not-the-secret') }],
    ['the other app’s secret', { Authorization: basicAuthorization(app.clientId, otherApp.clientSecret) }],
    ['no client authentication', {}],
    ['a Bearer header', { Authorization: 'Bearer abc' }],
  ])('answers 401 {"error": "invalid_client"} for %s', async (_name, headers) => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    const init = codeTokenRequest(app, code, verifier);
    const response = await send(sandbox, '/v2/o/token/', { ...init, headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('{"error": "invalid_client"}');
  });

  it.each([
    ['a different registered redirect_uri', { redirect_uri: otherRedirectUri }, '{"error": "invalid_request", "error_description": "Mismatching redirect URI."}'],
    ['a redirect_uri with a trailing slash', { redirect_uri: 'http://localhost:3000/api/oauth/bluebutton/callback/' }, '{"error": "invalid_request", "error_description": "Mismatching redirect URI."}'],
    ['no redirect_uri', { redirect_uri: undefined }, '{"error": "invalid_request", "error_description": "Missing redirect URI."}'],
    ['a wrong code_verifier', { code_verifier: 'x'.repeat(43) }, '{"error": "invalid_grant"}'],
    ['no code_verifier', { code_verifier: undefined }, '{"error": "invalid_request", "error_description": "Code verifier required."}'],
    ['no code', { code: undefined }, '{"error": "invalid_request", "error_description": "Missing code parameter."}'],
    ['an unknown code', { code: 'A'.repeat(30) }, '{"error": "invalid_grant"}'],
    ['grant_type=password', { grant_type: 'password' }, '{"error": "unsupported_grant_type"}'],
  ])('answers 400 for %s', async (_name, overrides, body) => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    const response = await send(sandbox, '/v2/o/token/', codeTokenRequest(app, code, verifier, overrides));
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe(body);
  });

  it('refuses a code issued to another client', async () => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    const response = await send(sandbox, '/v2/o/token/', codeTokenRequest(otherApp, code, verifier));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_grant' });
  });

  it('refuses a code after 10 minutes', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    clock.advance(10 * 60_000);
    const response = await send(sandbox, '/v2/o/token/', codeTokenRequest(app, code, verifier));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_grant' });
  });

  it('accepts a code until just before it expires', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    clock.advance(10 * 60_000 - 1);
    expect((await send(sandbox, '/v2/o/token/', codeTokenRequest(app, code, verifier))).status).toBe(200);
  });

  it('refuses a reused code and revokes the tokens already issued from it (RFC 6749 §4.1.2)', async () => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    const first = (await (await send(sandbox, '/v2/o/token/', codeTokenRequest(app, code, verifier))).json()) as TokenBody;
    expect((await send(sandbox, '/v2/fhir/Coverage/', bearer(first.access_token))).status).toBe(200);

    const replay = await send(sandbox, '/v2/o/token/', codeTokenRequest(app, code, verifier));
    expect(replay.status).toBe(400);
    expect(await replay.text()).toBe('{"error": "invalid_grant"}');
    expect((await send(sandbox, '/v2/fhir/Coverage/', bearer(first.access_token))).status).toBe(401);
    const refresh = await send(
      sandbox,
      '/v2/o/token/',
      formPost({ grant_type: 'refresh_token', refresh_token: first.refresh_token }, { Authorization: basicAuthorization(app.clientId, app.clientSecret) }),
    );
    expect(await refresh.json()).toEqual({ error: 'invalid_grant' });
  });

  it('keeps a code usable after a failed PKCE check, as oauthlib does', async () => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    expect((await send(sandbox, '/v2/o/token/', codeTokenRequest(app, code, verifier, { code_verifier: 'y'.repeat(43) }))).status).toBe(400);
    expect((await send(sandbox, '/v2/o/token/', codeTokenRequest(app, code, verifier))).status).toBe(200);
  });

  it('answers 405 to GET', async () => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, '/v2/o/token/');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('parseBasicCredentials', () => {
  it('form-decodes id and secret and splits at the first colon', () => {
    const encoded = Buffer.from('my%20id:sec:ret+x').toString('base64');
    expect(parseBasicCredentials(`basic ${encoded}`)).toEqual({ clientId: 'my id', clientSecret: 'sec:ret x' });
    expect(parseBasicCredentials('Basic ***')).toBeUndefined();
    expect(parseBasicCredentials(null)).toBeUndefined();
  });
});
