import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { createOneUpHealthSandbox } from './index';
import { createTestClock } from '../shared/test-helpers';
import { basicAuthorization, formHeaders, getPreset, getWithBody, send, testBase, tokenPath } from './test-helpers';

const providerAccess = getPreset('provider-access');
const payerToPayer = getPreset('payer-to-payer');
const realmIssuer = `${testBase}/auth/realms/dev-portal`;

interface TokenBody {
  access_token: string;
  expires_in: number;
  refresh_expires_in: number;
  token_type: string;
  'not-before-policy': number;
  scope: string;
}

function postForm(sandbox: ReturnType<typeof createOneUpHealthSandbox>, body: string, headers: Record<string, string> = formHeaders) {
  return send(sandbox, tokenPath, { method: 'POST', headers, body });
}

/** The seed's form body, byte for byte: curl -d joins its values with & and sends them unencoded. */
function seedBody(clientId = providerAccess.clientId, clientSecret = providerAccess.clientSecret): string {
  return `client_id=${clientId}&client_secret=${clientSecret}&grant_type=client_credentials&scope=bulk-data|user/*.rs`;
}

describe('Keycloak client credentials (dev-portal realm)', () => {
  it('issues a 300-second RS256 token for the seed’s form body, with Keycloak’s response fields', async () => {
    const sandbox = createOneUpHealthSandbox({ now: createTestClock().now });
    const response = await postForm(sandbox, seedBody());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const body = (await response.json()) as TokenBody;
    expect(Object.keys(body)).toEqual(['access_token', 'expires_in', 'refresh_expires_in', 'token_type', 'not-before-policy', 'scope']);
    expect(body).toMatchObject({ expires_in: 300, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': 0, scope: 'bulk-data|user/*.rs profile email' });
    expect(decodeProtectedHeader(body.access_token)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
  });

  it('signs Keycloak claims verifiable with the realm certs and discovery document', async () => {
    const clock = createTestClock();
    const sandbox = createOneUpHealthSandbox({ now: clock.now });
    const token = ((await (await postForm(sandbox, seedBody())).json()) as TokenBody).access_token;

    const discovery = (await (await send(sandbox, '/auth/realms/dev-portal/.well-known/openid-configuration')).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(realmIssuer);
    expect(discovery.token_endpoint).toBe(`${realmIssuer}/protocol/openid-connect/token`);
    expect(discovery.jwks_uri).toBe(`${realmIssuer}/protocol/openid-connect/certs`);
    const certs = (await (await send(sandbox, '/auth/realms/dev-portal/protocol/openid-connect/certs')).json()) as JSONWebKeySet;
    expect(certs.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(certs.keys[0]?.kid).toBe(decodeProtectedHeader(token).kid);

    const { payload } = await jwtVerify(token, createLocalJWKSet(certs), { issuer: realmIssuer, audience: 'account', currentDate: new Date(clock.now()) });
    expect(payload).toMatchObject({
      typ: 'Bearer',
      azp: providerAccess.clientId,
      clientId: providerAccess.clientId,
      preferred_username: `service-account-${providerAccess.clientId}`,
      scope: 'bulk-data|user/*.rs profile email',
      clientHost: '127.0.0.1',
      clientAddress: '127.0.0.1',
      acr: '1',
      realm_access: { roles: expect.arrayContaining(['default-roles-dev-portal', 'offline_access']) },
      resource_access: { account: { roles: expect.arrayContaining(['view-profile']) } },
    });
    expect(payload.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(payload.jti).toEqual(expect.any(String));
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
    expect(payload.iat).toBe(Math.floor(clock.now() / 1000));
  });

  it('takes HTTP Basic client authentication (client_secret_basic)', async () => {
    const sandbox = createOneUpHealthSandbox();
    const response = await postForm(sandbox, 'grant_type=client_credentials&scope=bulk-data%7Cuser%2F*.rs', {
      ...formHeaders,
      Authorization: basicAuthorization(providerAccess.clientId, providerAccess.clientSecret),
    });
    expect(response.status).toBe(200);
  });

  it('reads a GET that carries the form body, as the seed’s curl -X GET -d sends it', async () => {
    const sandbox = createOneUpHealthSandbox();
    const response = await getWithBody(sandbox, tokenPath, seedBody(), { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as TokenBody).token_type).toBe('Bearer');
  });

  it('answers 405 to a GET without a body, as Keycloak routes only POST', async () => {
    const response = await send(createOneUpHealthSandbox(), tokenPath);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await response.text()).toBe('');
  });

  it('explains a GET whose announced body the host dropped (Next.js drops GET bodies before route handlers)', async () => {
    const response = await send(createOneUpHealthSandbox(), tokenPath, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(seedBody().length) },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toContain('leave out -X GET');
  });

  it('grants the Payer-to-Payer client its member-match scope too', async () => {
    const sandbox = createOneUpHealthSandbox();
    const body = `client_id=${payerToPayer.clientId}&client_secret=${payerToPayer.clientSecret}&grant_type=client_credentials&scope=member-match bulk-data|user/*.rs`;
    const response = await postForm(sandbox, body.replace(' ', '+'));
    expect(response.status).toBe(200);
    expect(((await response.json()) as TokenBody).scope).toBe('member-match bulk-data|user/*.rs profile email');
  });
});

describe('Keycloak token errors', () => {
  const cases: Array<[string, string, Record<string, string> | undefined, number, Record<string, string>]> = [
    ['no grant_type', `client_id=${providerAccess.clientId}&client_secret=${providerAccess.clientSecret}`, undefined, 400, { error: 'invalid_request', error_description: 'Missing form parameter: grant_type' }],
    ['an unsupported grant_type', `grant_type=password&client_id=${providerAccess.clientId}&client_secret=x`, undefined, 400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' }],
    ['no client_id', 'grant_type=client_credentials', undefined, 400, { error: 'invalid_client', error_description: 'Missing client_id parameter' }],
    ['an unknown client', 'grant_type=client_credentials&client_id=nobody&client_secret=x', undefined, 401, { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' }],
    ['a wrong secret', `grant_type=client_credentials&client_id=${providerAccess.clientId}&client_secret=wrong`, undefined, 401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' }],
    ['no secret', `grant_type=client_credentials&client_id=${providerAccess.clientId}`, undefined, 401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' }],
    ['the pipe scope split into two', `grant_type=client_credentials&client_id=${providerAccess.clientId}&client_secret=${providerAccess.clientSecret}&scope=bulk-data+user/*.rs`, undefined, 400, { error: 'invalid_scope', error_description: 'Invalid scopes: bulk-data user/*.rs' }],
    ['member-match for the Provider Access client', `grant_type=client_credentials&client_id=${providerAccess.clientId}&client_secret=${providerAccess.clientSecret}&scope=member-match`, undefined, 400, { error: 'invalid_scope', error_description: 'Invalid scopes: member-match' }],
    ['a duplicated parameter', `grant_type=client_credentials&client_id=${providerAccess.clientId}&client_secret=${providerAccess.clientSecret}&scope=a&scope=b`, undefined, 400, { error: 'invalid_request', error_description: 'duplicated parameter' }],
    ['a JSON body', JSON.stringify({ grant_type: 'client_credentials' }), { 'Content-Type': 'application/json' }, 400, { error: 'invalid_request', error_description: 'Missing form parameter: grant_type' }],
  ];

  it.each(cases)('answers %s exactly as Keycloak does', async (_name, body, headers, status, expected) => {
    const response = await postForm(createOneUpHealthSandbox(), body, headers ?? formHeaders);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(expected);
  });

  it('challenges an unreadable Authorization header with Basic when no client_id is in the form', async () => {
    const response = await postForm(createOneUpHealthSandbox(), 'grant_type=client_credentials', { ...formHeaders, Authorization: 'Bearer nope' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="dev-portal"');
  });

  it('answers a wrong secret sent by Basic the same way as in the form', async () => {
    const response = await postForm(createOneUpHealthSandbox(), 'grant_type=client_credentials', {
      ...formHeaders,
      Authorization: basicAuthorization(providerAccess.clientId, 'wrong'),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('unauthorized_client');
  });

  it('knows only the dev-portal realm', async () => {
    const other = await send(createOneUpHealthSandbox(), '/auth/realms/acme/protocol/openid-connect/token', { method: 'POST', headers: formHeaders, body: seedBody() });
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: 'Realm does not exist' });
  });
});
