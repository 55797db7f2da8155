import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { basicAuthorization } from '../shared/test-helpers';
import {
  authorizeQuery,
  bearer,
  codeTokenRequest,
  createPkce,
  createTestSandbox,
  expectOAuthError,
  fhirBase,
  getPreset,
  redirectUri,
  runAuthorization,
  send,
  testBase,
  testState,
  type UserTokenBody,
} from './test-helpers';

const confidential = getPreset('confidential-app');
const publicApp = getPreset('public-app');

async function authorizeError(overrides: Record<string, string | undefined>) {
  const { sandbox } = createTestSandbox();
  const { challenge } = await createPkce();
  const response = await send(sandbox, authorizeQuery(confidential, challenge, overrides));
  return response;
}

function errorOf(response: Response) {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return { error: location.searchParams.get('error'), description: location.searchParams.get('error_description') ?? '', state: location.searchParams.get('state') };
}

describe('GET /auth/authorize', () => {
  it('shows the sign-in page, and an approved sign-in returns a code and the state (no iss)', async () => {
    const { sandbox } = createTestSandbox();
    const { location, code } = await runAuthorization(sandbox);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBe(testState);
    expect(location.searchParams.has('iss')).toBe(false);
  });

  it('returns access_denied when the user denies', async () => {
    const { sandbox } = createTestSandbox();
    const { location } = await runAuthorization(sandbox, { deny: true });
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe(testState);
  });

  it('shows the form again for a wrong password', async () => {
    const { sandbox } = createTestSandbox();
    const { challenge } = await createPkce();
    const page = await (await send(sandbox, authorizeQuery(confidential, challenge))).text();
    const pending = /name="pending" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const again = await send(sandbox, '/auth/authorize', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pending, username: 'patient1', password: 'nope', decision: 'approve' }).toString(),
    });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('The username or password is not correct.');
  });

  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['an unknown client', { client_id: 'nobody' }, /No client is registered with client_id &quot;nobody&quot;/],
    ['no client_id', { client_id: undefined }, /client_id is missing/],
    ['an unregistered redirect URI', { redirect_uri: 'http://localhost:3000/elsewhere' }, /redirect_uri is not registered/],
    ['no redirect URI', { redirect_uri: undefined }, /redirect_uri is missing/],
  ])('shows an error page, not a redirect, for %s', async (_name, overrides, text) => {
    const response = await authorizeError(overrides);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toMatch(text);
  });

  it.each<[string, Record<string, string | undefined>, string, RegExp]>([
    ['response_type token', { response_type: 'token' }, 'unsupported_response_type', /only code/],
    ['no code_challenge', { code_challenge: undefined }, 'invalid_request', /PKCE with S256/],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request', /"plain" is refused/],
    ['no code_challenge_method', { code_challenge_method: undefined }, 'invalid_request', /means plain/],
    ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request', /43 base64url/],
    ['no aud', { aud: undefined }, 'invalid_request', /aud is missing.*\/sandbox\/smart\/fhir/],
    ['an aud of another server', { aud: 'https://fhir.example/r4' }, 'invalid_request', /is not this server's FHIR base URL/],
    ['an aud with another path', { aud: `${testBase}/other` }, 'invalid_request', /is not this server's FHIR base URL/],
    ['an aud on another loopback port', { aud: 'http://127.0.0.1:9999/sandbox/smart/fhir' }, 'invalid_request', /is not this server's FHIR base URL/],
    ['no scope', { scope: undefined }, 'invalid_scope', /scope is missing/],
    ['a system scope', { scope: 'openid system/*.rs' }, 'invalid_scope', /system\/ scopes are for Backend Services/],
    ['a scope beyond the registration', { scope: 'patient/*.cruds' }, 'invalid_scope', /outside the scope this client is registered for/],
    ['an unknown scope', { scope: 'openid admin' }, 'invalid_scope', /"admin" is not a scope this server knows/],
    ['an EHR launch', { launch: 'xyz' }, 'invalid_request', /standalone launch only/],
  ])('redirects with an error for %s', async (_name, overrides, error, description) => {
    const result = errorOf(await authorizeError(overrides));
    expect(result.error).toBe(error);
    expect(result.description).toMatch(description);
    expect(result.state).toBe(testState);
  });

  it('redirects invalid_request without state when none was sent', async () => {
    const result = errorOf(await authorizeError({ state: undefined }));
    expect(result).toMatchObject({ error: 'invalid_request', state: null });
    expect(result.description).toMatch(/state is missing/);
  });

  it('accepts aud on a loopback alias of the host and with a trailing slash', async () => {
    for (const aud of ['http://127.0.0.1:3000/sandbox/smart/fhir', `${fhirBase}/`]) {
      const response = await authorizeError({ aud });
      expect(response.status, aud).toBe(200);
    }
  });
});

describe('POST /auth/token with an authorization code', () => {
  it('returns the SMART token response: JWT access token, refresh token, id_token with fhirUser, patient', async () => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox, { username: 'patient2' });
    const response = await send(sandbox, '/auth/token', codeTokenRequest(confidential, code, verifier));
    expect(response.status).toBe(200);
    const body = (await response.json()) as UserTokenBody;
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid fhirUser launch/patient offline_access patient/*.rs',
      patient: 'smart-2',
      refresh_token: expect.any(String),
    });
    expect(decodeJwt(body.access_token)).toMatchObject({ iss: testBase, aud: fhirBase, client_id: confidential.clientId, patient: 'smart-2' });
    expect(decodeJwt(body.id_token ?? '')).toMatchObject({ iss: testBase, sub: 'patient2', aud: confidential.clientId, fhirUser: `${fhirBase}/Patient/smart-2` });
  });

  it('leaves out refresh and id tokens that were not asked for', async () => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox, { overrides: { scope: 'patient/Patient.rs' } });
    const body = (await (await send(sandbox, '/auth/token', codeTokenRequest(confidential, code, verifier))).json()) as UserTokenBody;
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('id_token');
    expect(body).not.toHaveProperty('patient');
    expect(decodeJwt(body.access_token).patient).toBe('smart-1');
  });

  it('serves a public client by client_id alone', async () => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox, { preset: publicApp });
    expect((await send(sandbox, '/auth/token', codeTokenRequest(publicApp, code, verifier))).status).toBe(200);
  });

  it('refuses a missing and a wrong code_verifier, and leaves the code usable', async () => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    await expectOAuthError(await send(sandbox, '/auth/token', codeTokenRequest(confidential, code, undefined)), 400, 'invalid_request', /code_verifier is missing/);
    await expectOAuthError(
      await send(sandbox, '/auth/token', codeTokenRequest(confidential, code, 'x'.repeat(43))),
      400,
      'invalid_grant',
      /code_verifier does not match the code_challenge/,
    );
    expect((await send(sandbox, '/auth/token', codeTokenRequest(confidential, code, verifier))).status).toBe(200);
  });

  it('refuses a reused code and revokes what was issued from it', async () => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    const first = (await (await send(sandbox, '/auth/token', codeTokenRequest(confidential, code, verifier))).json()) as UserTokenBody;
    expect((await send(sandbox, '/fhir/Patient', bearer(first.access_token))).status).toBe(200);
    await expectOAuthError(await send(sandbox, '/auth/token', codeTokenRequest(confidential, code, verifier)), 400, 'invalid_grant', /already used.*revoked/);
    const revoked = await send(sandbox, '/fhir/Patient', bearer(first.access_token));
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('refuses an expired code, another redirect_uri and another client', async () => {
    const { sandbox, clock } = createTestSandbox();
    const run = await runAuthorization(sandbox);
    await expectOAuthError(
      await send(sandbox, '/auth/token', codeTokenRequest(confidential, run.code, run.verifier, { redirect_uri: 'http://localhost:3000/other' })),
      400,
      'invalid_grant',
      /is not the one the code was issued for/,
    );
    await expectOAuthError(await send(sandbox, '/auth/token', codeTokenRequest(publicApp, run.code, run.verifier)), 400, 'invalid_grant', /another client/);
    clock.advance(61_000);
    await expectOAuthError(await send(sandbox, '/auth/token', codeTokenRequest(confidential, run.code, run.verifier)), 400, 'invalid_grant', /expired/);
  });

  it.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
    ['a wrong secret', { Authorization: basicAuthorization(confidential.clientId, 'wrong') }, {}, /client secret is wrong/],
    ['no authentication for a confidential client', {}, { client_id: confidential.clientId }, /is confidential/],
    ['client_secret in the body', {}, { client_id: confidential.clientId, client_secret: confidential.clientSecret }, /client_secret_post/],
    ['Basic for a public client', { Authorization: basicAuthorization(publicApp.clientId, 'x') }, {}, /registered for none/],
    ['nothing at all', {}, {}, /no client authentication/],
  ])('answers 401 invalid_client for %s', async (_name, headers, fields, description) => {
    const { sandbox } = createTestSandbox();
    const { code, verifier } = await runAuthorization(sandbox);
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, ...fields });
    const response = await send(sandbox, '/auth/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: body.toString() });
    await expectOAuthError(response, 401, 'invalid_client', description);
  });
});
