import { describe, expect, it } from 'vitest';
import { generateClientKey, publicJwks } from '@/lib/smart/client-keys';
import { createSmartSandbox } from './index';
import { createTestSandbox, expectOAuthError, jsonPost, redirectUri, send } from './test-helpers';

const appMetadata = { client_name: 'My app', redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'] };

describe('POST /auth/register (RFC 7591)', () => {
  it('registers a confidential app: 201 with client_id, a secret and the metadata', async () => {
    const { sandbox, clock } = createTestSandbox();
    const response = await send(sandbox, '/auth/register', jsonPost(appMetadata));
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      client_id: expect.stringMatching(/^smart-/),
      client_secret: expect.any(String),
      client_secret_expires_at: 0,
      client_id_issued_at: Math.floor(clock.now() / 1000),
      client_name: 'My app',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [redirectUri],
      scope: 'openid fhirUser launch/patient offline_access patient/*.rs',
    });
  });

  it('registers a public app without a secret', async () => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, '/auth/register', jsonPost({ ...appMetadata, token_endpoint_auth_method: 'none' }));
    expect(response.status).toBe(201);
    expect(await response.json()).not.toHaveProperty('client_secret');
  });

  it('registers a Backend Services client with a JWKS or a loopback jwks_uri', async () => {
    const { sandbox } = createTestSandbox();
    const key = await generateClientKey('ES384');
    const inline = await send(sandbox, '/auth/register', jsonPost({ token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], jwks: publicJwks([key]) }));
    expect(inline.status).toBe(201);
    const registered = (await inline.json()) as Record<string, unknown>;
    expect(registered).toMatchObject({ grant_types: ['client_credentials'], scope: 'system/*.rs', jwks: publicJwks([key]) });
    expect(registered).not.toHaveProperty('client_secret');
    for (const jwksUri of ['http://127.0.0.1:9/jwks.json', 'http://localhost:4000/keys', 'http://[::1]:9/k', 'http://localhost:3000/api/smart/jwks']) {
      const byUri = await send(sandbox, '/auth/register', jsonPost({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUri }));
      expect(byUri.status, jwksUri).toBe(201);
      expect(await byUri.json()).toMatchObject({ jwks_uri: jwksUri, grant_types: ['client_credentials'] });
    }
  });

  it('registers a Backend Services client that says "no response types" with empty lists (as the console sends it)', async () => {
    const { sandbox } = createTestSandbox();
    const response = await send(
      sandbox,
      '/auth/register',
      jsonPost({
        client_name: 'Health API console',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES384',
        jwks_uri: 'http://localhost:3000/api/smart/jwks',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'system/*.rs',
      }),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ grant_types: ['client_credentials'], scope: 'system/*.rs' });
  });

  it.each<[string, unknown, string, RegExp]>([
    ['an unknown auth method', { ...appMetadata, token_endpoint_auth_method: 'client_secret_post' }, 'invalid_client_metadata', /token_endpoint_auth_method/],
    ['client_credentials with a secret', { token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'] }, 'invalid_client_metadata', /private_key_jwt/],
    ['private_key_jwt without keys', { token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'] }, 'invalid_client_metadata', /exactly one of jwks_uri or jwks/],
    [
      'private_key_jwt with both jwks and jwks_uri',
      { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://127.0.0.1/k', jwks: { keys: [{ kty: 'EC', kid: 'a' }] } },
      'invalid_client_metadata',
      /exactly one of jwks_uri or jwks/,
    ],
    ['a jwks_uri on another host', { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://evil.example/jwks' }, 'invalid_client_metadata', /loopback host .*SSRF/],
    ['a jwks_uri on a private address', { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://169.254.169.254/latest' }, 'invalid_client_metadata', /SSRF/],
    ['a jwks_uri with credentials', { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://user:pw@127.0.0.1/k' }, 'invalid_client_metadata', /user name or password/],
    ['a private key in jwks', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', kid: 'a', d: 'secret' }] } }, 'invalid_client_metadata', /private members/],
    ['a key without kid', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'EC' }] } }, 'invalid_client_metadata', /kid/],
    ['jwks on a secret client', { ...appMetadata, jwks: { keys: [{ kty: 'EC', kid: 'a' }] } }, 'invalid_client_metadata', /only for private_key_jwt/],
    ['authorization_code without redirect_uris', { grant_types: ['authorization_code'] }, 'invalid_redirect_uri', /at least one redirect_uri/],
    ['a redirect URI with a fragment', { ...appMetadata, redirect_uris: ['https://app.example/cb#x'] }, 'invalid_redirect_uri', /fragment/],
    ['plain http off loopback', { ...appMetadata, redirect_uris: ['http://app.example/cb'] }, 'invalid_redirect_uri', /must be https/],
    ['a relative redirect URI', { ...appMetadata, redirect_uris: ['/cb'] }, 'invalid_redirect_uri', /not an absolute URL/],
    ['refresh_token alone', { token_endpoint_auth_method: 'private_key_jwt', grant_types: ['refresh_token'], jwks_uri: 'http://127.0.0.1/k' }, 'invalid_client_metadata', /only issued with authorization_code/],
    ['a system scope for a user app', { ...appMetadata, scope: 'openid system/*.rs' }, 'invalid_client_metadata', /system\/ scope/],
    ['a patient scope for a backend service', { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://127.0.0.1/k', scope: 'patient/*.rs' }, 'invalid_client_metadata', /system\/ scopes only/],
    ['a malformed scope', { ...appMetadata, scope: 'patient/Observation.sr' }, 'invalid_client_metadata', /not a SMART scope/],
    ['a JSON array', [appMetadata], 'invalid_client_metadata', /JSON object/],
  ])('refuses %s', async (_name, body, error, description) => {
    const { sandbox } = createTestSandbox();
    await expectOAuthError(await send(sandbox, '/auth/register', jsonPost(body)), 400, error, description);
  });

  it('refuses a body that is not JSON', async () => {
    const { sandbox } = createTestSandbox();
    const form = { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'client_name=x' };
    await expectOAuthError(await send(sandbox, '/auth/register', form), 400, 'invalid_client_metadata', /application\/json/);
    const broken = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' };
    await expectOAuthError(await send(sandbox, '/auth/register', broken), 400, 'invalid_client_metadata', /not valid JSON/);
  });

  it('keeps at most the configured number of registrations, forgetting the oldest', async () => {
    const sandbox = createSmartSandbox({ maxRegisteredClients: 2, redirectUris: () => [redirectUri] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await send(sandbox, '/auth/register', jsonPost(appMetadata));
      ids.push(((await response.json()) as { client_id: string }).client_id);
    }
    const authorize = (clientId: string) => send(sandbox, `/auth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(redirectUri)}`);
    expect(await (await authorize(ids[0] ?? '')).text()).toContain('No client is registered');
    expect((await authorize(ids[2] ?? '')).status).toBe(302);
  });
});
