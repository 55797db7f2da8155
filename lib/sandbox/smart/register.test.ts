import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateClientKey, publicJwks } from '@/lib/smart/client-keys';
import { consoleHost } from '@/lib/http/console-host';
import { createSmartSandbox } from './index';
import { createTestSandbox, expectOAuthError, jsonPost, redirectUri, send, setEnv, testJwksId } from './test-helpers';

const appMetadata = { client_name: 'My app', redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'] };
/** The console's JWKS URL as the page shows it on the default port. */
const consoleJwksUri = `http://localhost:3000/jwks/${testJwksId}`;

let restoreEnv: () => void = () => undefined;
beforeEach(() => {
  restoreEnv = setEnv({ PORT: '3000', CONSOLE_INTERNAL_ORIGIN: undefined, CONSOLE_PUBLIC_ORIGIN: undefined });
});
afterEach(() => restoreEnv());

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

  it('registers a Backend Services client with a JWKS, or with the console’s own JWKS URL on any of its origins', async () => {
    const { sandbox } = createTestSandbox();
    const key = await generateClientKey('ES384');
    const inline = await send(sandbox, '/auth/register', jsonPost({ token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], jwks: publicJwks([key]) }));
    expect(inline.status).toBe(201);
    const registered = (await inline.json()) as Record<string, unknown>;
    expect(registered).toMatchObject({ grant_types: ['client_credentials'], scope: 'system/*.rs', jwks: publicJwks([key]) });
    expect(registered).not.toHaveProperty('client_secret');
    restoreEnv();
    restoreEnv = setEnv({ PORT: '3131', CONSOLE_INTERNAL_ORIGIN: 'http://console-app:8080', CONSOLE_PUBLIC_ORIGIN: 'https://console.example/' });
    for (const jwksUri of [
      `http://127.0.0.1:3131/jwks/${testJwksId}`,
      `http://localhost:3131/jwks/${testJwksId}`,
      `http://[::1]:3131/jwks/${testJwksId}`,
      `http://console-app:8080/jwks/${testJwksId}`,
      `https://console.example/jwks/${testJwksId}`,
    ]) {
      const byUri = await send(sandbox, '/auth/register', jsonPost({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUri }));
      expect(byUri.status, jwksUri).toBe(201);
      expect(await byUri.json()).toMatchObject({ jwks_uri: jwksUri, grant_types: ['client_credentials'] });
    }
  });

  it.each([
    ['another loopback port', 'http://127.0.0.1:9/x'],
    ['the JWKS path on another loopback port', `http://127.0.0.1:4000/jwks/${testJwksId}`],
    ['localhost on another port', `http://localhost:3001/jwks/${testJwksId}`],
    ['another path on the console', 'http://localhost:3000/not-jwks'],
    ['an API route of the console', 'http://localhost:3000/api/session'],
    ['a sandbox of the console', 'http://localhost:3000/sandbox/smart/.well-known/jwks.json'],
    ['a JWKS id that is too short', 'http://localhost:3000/jwks/abc'],
    ['a path below the JWKS', `http://localhost:3000/jwks/${testJwksId}/x`],
    ['a trailing slash', `http://localhost:3000/jwks/${testJwksId}/`],
    ['a dot segment out of the JWKS route', `http://localhost:3000/jwks/../api/${testJwksId}`],
    ['an encoded slash', `http://localhost:3000/jwks%2F${testJwksId}`],
    ['a query', `http://localhost:3000/jwks/${testJwksId}?next=http://127.0.0.1:9/`],
    ['https on the loopback port', `https://localhost:3000/jwks/${testJwksId}`],
    ['another loopback address', `http://127.0.0.2:3000/jwks/${testJwksId}`],
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['the metadata address with the JWKS path', `http://169.254.169.254/jwks/${testJwksId}`],
    ['the metadata address in decimal', `http://2852039166/jwks/${testJwksId}`],
    ['the metadata name', `http://metadata.google.internal/jwks/${testJwksId}`],
    ['a private address on the console port', `http://10.0.0.1:3000/jwks/${testJwksId}`],
    ['a unique-local IPv6 address', `http://[fd00::1]:3000/jwks/${testJwksId}`],
    ['an IPv4-mapped loopback', `http://[::ffff:127.0.0.1]:9/jwks/${testJwksId}`],
    ['another host', `https://evil.example/jwks/${testJwksId}`],
    ['a user name on the console', `http://user:pw@localhost:3000/jwks/${testJwksId}`],
    ['a file URL', 'file:///etc/passwd'],
  ])('SECURITY 16: registration refuses a jwks_uri that is not the console’s own /jwks/{id}: %s', async (_name, jwksUri) => {
    const { sandbox } = createTestSandbox();
    const refused = await send(sandbox, '/auth/register', jsonPost({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUri }));
    await expectOAuthError(refused, 400, 'invalid_client_metadata', /jwks_uri/);
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
        jwks_uri: consoleJwksUri,
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
    ['a jwks_uri on another host', { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://evil.example/jwks' }, 'invalid_client_metadata', /console's own JWKS URL .*SSRF/],
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
    ['a patient scope for a backend service', { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: consoleJwksUri, scope: 'patient/*.rs' }, 'invalid_client_metadata', /system\/ scopes only/],
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
    const sandbox = createSmartSandbox({ consoleHost, maxRegisteredClients: 2, redirectUris: () => [redirectUri] });
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
