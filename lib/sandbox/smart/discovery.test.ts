import { describe, expect, it } from 'vitest';
import { createTestSandbox, fhirBase, send, testBase } from './test-helpers';

describe('SMART sandbox discovery', () => {
  it.each(['/fhir/.well-known/smart-configuration', '/.well-known/smart-configuration'])('serves the SMART configuration at %s', async (path) => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, path);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      issuer: testBase,
      jwks_uri: `${testBase}/.well-known/jwks.json`,
      authorization_endpoint: `${testBase}/auth/authorize`,
      token_endpoint: `${testBase}/auth/token`,
      registration_endpoint: `${testBase}/auth/register`,
      introspection_endpoint: `${testBase}/auth/introspect`,
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic', 'none'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(body.capabilities).toEqual(
      expect.arrayContaining([
        'launch-standalone',
        'client-public',
        'client-confidential-symmetric',
        'client-confidential-asymmetric',
        'context-standalone-patient',
        'sso-openid-connect',
        'permission-offline',
        'permission-patient',
        'permission-v1',
        'permission-v2',
      ]),
    );
    expect(body.scopes_supported).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'launch/patient', 'offline_access', 'system/*.rs']));
  });

  it('serves the OpenID configuration at the issuer, whose issuer is the URL it is served under', async () => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, '/.well-known/openid-configuration');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      issuer: testBase,
      token_endpoint: `${testBase}/auth/token`,
      jwks_uri: `${testBase}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
    });
    expect((await send(sandbox, '/fhir/.well-known/openid-configuration')).status).toBe(404);
  });

  it('builds every URL from the origin the request came to', async () => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, 'http://127.0.0.1:3101/sandbox/smart/.well-known/smart-configuration');
    expect(((await response.json()) as { token_endpoint: string }).token_endpoint).toBe('http://127.0.0.1:3101/sandbox/smart/auth/token');
  });

  it('publishes its signing key as a JWKS', async () => {
    const { sandbox } = createTestSandbox();
    const body = (await (await send(sandbox, '/.well-known/jwks.json')).json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(body.keys[0]).not.toHaveProperty('d');
  });

  it('answers the CapabilityStatement without a token, with the oauth-uris extension', async () => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, '/fhir/metadata');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rest: Array<{ security: { extension: Array<{ url: string; extension: Array<{ url: string; valueUri: string }> }> } }> };
    const uris = body.rest[0]?.security.extension.find((e) => e.url.endsWith('/oauth-uris'))?.extension ?? [];
    expect(uris).toEqual(
      expect.arrayContaining([
        { url: 'authorize', valueUri: `${testBase}/auth/authorize` },
        { url: 'token', valueUri: `${testBase}/auth/token` },
      ]),
    );
    expect(fhirBase).toBe(`${testBase}/fhir`);
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    const { sandbox } = createTestSandbox();
    expect((await send(sandbox, '/nothing')).status).toBe(404);
    expect((await send(sandbox, '/.well-known/jwks.json', { method: 'POST' })).status).toBe(405);
  });
});
