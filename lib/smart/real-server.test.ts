import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintClientAssertion, backendServicesTokenForm } from './client-assertion';
import { generateClientKey, publicJwks, type StoredClientKey } from './client-keys';
import { checkConfiguration } from './config-checks';
import { discoverServer, type DiscoveryResult } from './discovery';
import { startRealAuthorizationServer, type RealAuthorizationServer } from '@/test/real-as';

/**
 * lib/smart against a real authorization server (issue #8): panva's oidc-provider, configured by
 * e2e/support/smart-as.mjs and started here on loopback. Nothing on the server side is written by us, so what it
 * accepts and refuses is what a standards-compliant server does with what lib/smart produces.
 */

let as: RealAuthorizationServer;
let issuer = '';
let jwksServer: Server;
let jwksUri = '';
const jwksHits: string[] = [];
const keys: StoredClientKey[] = [];
let discovery: DiscoveryResult;

function refusals(): string[] {
  return as.output.join('').split('\n').filter((l) => l.startsWith('grant.error'));
}

/**
 * oidc-provider's reason for the refusal after the first `seen` (the response body says only "client
 * authentication failed"). Its log line travels through a pipe and may arrive just after the HTTP answer.
 */
async function refusalAfter(seen: number): Promise<string | undefined> {
  for (let i = 0; i < 50 && refusals().length <= seen; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return refusals()[seen];
}

async function register(metadata: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(discovery.server!.registration_endpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(metadata),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function tokenRequest(form: URLSearchParams): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(discovery.server!.token_endpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  const [started, es384, rs384] = await Promise.all([startRealAuthorizationServer(), generateClientKey('ES384'), generateClientKey('RS384')]);
  as = started;
  issuer = started.issuer;
  keys.push(es384, rs384);
  jwksServer = createServer((req, res) => {
    jwksHits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(publicJwks(keys)));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks/test-user`;
  discovery = await discoverServer(issuer, { allowLoopback: true });
}, 10_000);

afterAll(async () => {
  as?.stop();
  await new Promise<void>((resolve) => (jwksServer ? jwksServer.close(() => resolve()) : resolve()));
});

describe('discoverServer against oidc-provider', () => {
  it('reports the SMART configuration as 404 and reads endpoints, auth methods and PKCE from the OpenID configuration', () => {
    expect(discovery.ok).toBe(true);
    expect(discovery.base).toBe(issuer);
    const [smart, oidc] = discovery.documents;
    expect(smart).toMatchObject({ kind: 'smart-configuration', url: `${issuer}/.well-known/smart-configuration`, status: 'not_found', httpStatus: 404 });
    expect(oidc).toMatchObject({ kind: 'openid-configuration', url: `${issuer}/.well-known/openid-configuration`, status: 'ok', httpStatus: 200, problems: [] });
    expect(discovery.documents).toHaveLength(2);

    const server = discovery.server!;
    expect(server).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      registration_endpoint: `${issuer}/reg`,
      revocation_endpoint: `${issuer}/token/revocation`,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt', 'none'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      scopes_supported: ['openid', 'fhirUser', 'offline_access', 'launch/patient', 'patient/*.rs', 'system/Patient.rs'],
      smart_versions: [],
    });
    expect(server.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(server.capabilities).toBeUndefined();
    expect(server.sources.token_endpoint).toEqual(['openid-configuration']);

    // The only finding worth a warning is the missing SMART document; loopback endpoints pass under allowLoopback.
    expect(discovery.findings.filter((f) => f.severity !== 'info')).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'document_unavailable', source: 'smart-configuration' }),
    ]);
    expect(discovery.disagreements).toEqual([]);
  });

  it('without the loopback opt-in the same URL is refused before anything is fetched', async () => {
    const refused = await discoverServer(issuer);
    expect(refused).toMatchObject({ ok: false, refused: { code: 'url_loopback' }, documents: [] });
  });
});

describe('checkConfiguration with what oidc-provider advertised', () => {
  it('finds nothing that will fail for SMART Backend Services with private_key_jwt (ES384 or RS384)', () => {
    for (const assertionAlg of ['ES384', 'RS384'] as const) {
      const findings = checkConfiguration(discovery.server!, {
        grant: 'client_credentials',
        clientAuth: 'private_key_jwt',
        pkce: 'none',
        assertionAlg,
        scopes: ['system/Patient.rs'],
        launch: 'standalone',
      });
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    }
  });

  it('finds nothing that will fail for a standalone authorization-code launch with PKCE S256', () => {
    const findings = checkConfiguration(discovery.server!, {
      grant: 'authorization_code',
      clientAuth: 'private_key_jwt',
      assertionAlg: 'ES384',
      pkce: 'S256',
      scopes: ['openid', 'fhirUser', 'offline_access', 'launch/patient', 'patient/*.rs'],
      redirectUri: 'http://localhost:3100/api/oauth/custom-abcdefghij/callback',
      launch: 'standalone',
    });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('says client_secret_post is not offered there, and a shared secret is not SMART Backend Services', () => {
    const findings = checkConfiguration(discovery.server!, {
      grant: 'client_credentials',
      clientAuth: 'client_secret_post',
      pkce: 'none',
      scopes: ['system/Patient.rs'],
      launch: 'standalone',
    });
    expect(findings.map((f) => [f.code, f.severity])).toEqual(
      expect.arrayContaining([
        ['client_auth_not_supported', 'error'],
        ['backend_not_asymmetric', 'warning'],
      ]),
    );
  });
});

describe('private_key_jwt client credentials at oidc-provider', () => {
  let clientId = '';

  it('registers a private_key_jwt client with a loopback jwks_uri (RFC 7591)', async () => {
    const { status, body } = await register({
      client_name: 'lib/smart real-server test',
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES384',
      jwks_uri: jwksUri,
      scope: 'system/Patient.rs',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUri, grant_types: ['client_credentials'] });
    expect(body.client_secret).toBeUndefined();
    clientId = String(body.client_id);
    expect(clientId).not.toBe('');
  });

  it('issues an access token for a fresh ES384 assertion whose aud is the token endpoint; the server fetched the JWKS', async () => {
    const minted = await mintClientAssertion({ key: keys[0]!, clientId, tokenUrl: discovery.server!.token_endpoint! });
    expect(minted.claims.aud).toBe(`${issuer}/token`);
    const { status, body } = await tokenRequest(backendServicesTokenForm({ assertion: minted.assertion, scope: 'system/Patient.rs' }));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'system/Patient.rs', expires_in: expect.any(Number) });
    expect(typeof body.access_token).toBe('string');
    expect(body.refresh_token).toBeUndefined();
    expect(jwksHits).toContain('/jwks/test-user');
  });

  it('refuses the same assertion a second time (jti replay): invalid_client', async () => {
    const minted = await mintClientAssertion({ key: keys[0]!, clientId, tokenUrl: discovery.server!.token_endpoint! });
    const form = backendServicesTokenForm({ assertion: minted.assertion, scope: 'system/Patient.rs' });
    expect((await tokenRequest(form)).status).toBe(200);
    const seen = refusals().length;
    const replay = await tokenRequest(form);
    expect(replay).toEqual({ status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } });
    expect(await refusalAfter(seen)).toBe('grant.error invalid_client: client assertion tokens must only be used once');
  });

  it('refuses an assertion whose aud is not the token endpoint (or issuer): invalid_client', async () => {
    const minted = await mintClientAssertion({ key: keys[0]!, clientId, tokenUrl: `${issuer}/not-the-token-endpoint` });
    const seen = refusals().length;
    const refused = await tokenRequest(backendServicesTokenForm({ assertion: minted.assertion, scope: 'system/Patient.rs' }));
    expect(refused).toEqual({ status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } });
    expect(await refusalAfter(seen)).toBe('grant.error invalid_client: audience (aud) must equal the endpoint url, issuer identifier or token endpoint url');
  });

  it('refuses an assertion signed with a key of the wrong algorithm for the client (RS384 key, client registered for ES384)', async () => {
    const minted = await mintClientAssertion({ key: keys[1]!, clientId, tokenUrl: discovery.server!.token_endpoint! });
    const seen = refusals().length;
    const refused = await tokenRequest(backendServicesTokenForm({ assertion: minted.assertion, scope: 'system/Patient.rs' }));
    expect(refused.status).toBe(401);
    expect(await refusalAfter(seen)).toBe('grant.error invalid_client: alg mismatch');
  });

  it('registers an RS384 client with an inline jwks and gets a token with an RS384 assertion', async () => {
    const registered = await register({
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: publicJwks([keys[1]!]),
      scope: 'system/Patient.rs',
    });
    expect(registered.status).toBe(201);
    const minted = await mintClientAssertion({ key: keys[1]!, clientId: String(registered.body.client_id), tokenUrl: discovery.server!.token_endpoint! });
    const { status, body } = await tokenRequest(backendServicesTokenForm({ assertion: minted.assertion, scope: 'system/Patient.rs' }));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.token_type).toBe('Bearer');
  });

  it('refuses a scope the client was not registered for: invalid_scope', async () => {
    const minted = await mintClientAssertion({ key: keys[0]!, clientId, tokenUrl: discovery.server!.token_endpoint! });
    const refused = await tokenRequest(backendServicesTokenForm({ assertion: minted.assertion, scope: 'patient/*.rs' }));
    expect(refused).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: 'requested scope is not allowed', scope: 'patient/*.rs' } });
  });
});
