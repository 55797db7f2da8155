import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { generateClientKey, publicJwks, type StoredClientKey } from '@/lib/smart/client-keys';
import { freePort } from '@/test/free-port';
import { simulating } from '../shared/test-helpers';
import { JWKS_UNREADABLE } from './client-jwks';
import { createClientRegistry } from './clients';
import type { SmartSandbox } from './index';
import {
  backendTokenRequest,
  bearer,
  createTestSandbox,
  expectOAuthError,
  fhirBase,
  formPost,
  registerBackendClient,
  send,
  setEnv,
  testBase,
  testJwksId,
  tokenUrl,
} from './test-helpers';

describe('SMART Backend Services: client_credentials with private_key_jwt', () => {
  it('gives a registered client a 5-minute JWT with the granted system scope', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId, key } = await registerBackendClient(sandbox);
    const response = await send(sandbox, '/auth/token', await backendTokenRequest(clientId, key, { now: clock.now(), scope: 'system/Patient.rs' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 300, scope: 'system/Patient.rs' });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ iss: testBase, sub: clientId, aud: fhirBase, client_id: clientId, scope: 'system/Patient.rs' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
  });

  it('takes v1 system scopes within the registered scope', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId, key } = await registerBackendClient(sandbox, { scope: 'system/*.read' });
    const response = await send(sandbox, '/auth/token', await backendTokenRequest(clientId, key, { now: clock.now(), scope: 'system/Observation.read' }));
    expect(response.status).toBe(200);
  });

  it.each<[string, string, RegExp]>([
    ['wider than registered', 'system/*.cruds', /outside the scope this client is registered for/],
    ['a patient scope', 'patient/*.rs', /only system\/ scopes/],
    ['openid', 'openid system/*.rs', /only system\/ scopes/],
    ['malformed', 'system/Patient.sr', /only system\/ scopes/],
  ])('refuses a scope %s with invalid_scope', async (_name, scope, description) => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId, key } = await registerBackendClient(sandbox, { scope: 'system/*.rs' });
    await expectOAuthError(await send(sandbox, '/auth/token', await backendTokenRequest(clientId, key, { now: clock.now(), scope })), 400, 'invalid_scope', description);
  });

  it('refuses an assertion for another audience, naming the expected token URL', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId, key } = await registerBackendClient(sandbox);
    const request = await backendTokenRequest(clientId, key, { now: clock.now(), tokenUrl: 'https://other.example/token' });
    await expectOAuthError(await send(sandbox, '/auth/token', request), 401, 'invalid_client', new RegExp(`"aud" claim is "https://other.example/token".*"${tokenUrl}"`));
  });

  it('expects the token URL the request reached: a 127.0.0.1 request wants a 127.0.0.1 aud', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId, key } = await registerBackendClient(sandbox);
    const otherHost = 'http://127.0.0.1:3000/sandbox/smart/auth/token';
    const ok = await send(sandbox, otherHost, await backendTokenRequest(clientId, key, { now: clock.now(), tokenUrl: otherHost }));
    expect(ok.status).toBe(200);
    await expectOAuthError(await send(sandbox, otherHost, await backendTokenRequest(clientId, key, { now: clock.now() })), 401, 'invalid_client', /aud/);
  });

  it('refuses a key that is not in the client’s JWKS', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId } = await registerBackendClient(sandbox);
    const stranger = await generateClientKey('ES384');
    await expectOAuthError(
      await send(sandbox, '/auth/token', await backendTokenRequest(clientId, stranger, { now: clock.now() })),
      401,
      'invalid_client',
      new RegExp(`No key with kid "${stranger.kid}"`),
    );
  });

  it('refuses an expired assertion and one that lives longer than five minutes', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId, key } = await registerBackendClient(sandbox);
    const old = await backendTokenRequest(clientId, key, { now: clock.now() - 10 * 60_000 });
    await expectOAuthError(await send(sandbox, '/auth/token', old), 401, 'invalid_client', /expired/);
    const long = await signAssertion(key, { iss: clientId, sub: clientId, aud: tokenUrl, exp: Math.floor(clock.now() / 1000) + 3600 });
    await expectOAuthError(await send(sandbox, '/auth/token', assertionForm(long)), 401, 'invalid_client', /at most 300 s/);
  });

  it('refuses a replayed jti', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId, key } = await registerBackendClient(sandbox);
    const first = await send(sandbox, '/auth/token', await backendTokenRequest(clientId, key, { now: clock.now(), jti: 'same-jti-0123456789' }));
    expect(first.status).toBe(200);
    const again = await send(sandbox, '/auth/token', await backendTokenRequest(clientId, key, { now: clock.now(), jti: 'same-jti-0123456789' }));
    await expectOAuthError(again, 401, 'invalid_client', /jti "same-jti-0123456789" was already used/);
  });

  it('refuses an assertion whose iss and sub differ', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId, key } = await registerBackendClient(sandbox);
    const jwt = await signAssertion(key, { iss: clientId, sub: 'someone-else', aud: tokenUrl, exp: Math.floor(clock.now() / 1000) + 120 });
    await expectOAuthError(await send(sandbox, '/auth/token', assertionForm(jwt)), 401, 'invalid_client', /"iss" and "sub" claims differ/);
  });

  it('refuses a request without an assertion, and an unregistered issuer', async () => {
    const { sandbox, clock } = createTestSandbox();
    await expectOAuthError(
      await send(sandbox, '/auth/token', formPost({ grant_type: 'client_credentials', scope: 'system/*.rs' })),
      401,
      'invalid_client',
      /client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer and a client_assertion/,
    );
    const key = await generateClientKey('ES384');
    await expectOAuthError(
      await send(sandbox, '/auth/token', await backendTokenRequest('never-registered', key, { now: clock.now() })),
      401,
      'invalid_client',
      /No client is registered with client_id "never-registered"/,
    );
  });

  it('refuses a wrong client_assertion_type', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId, key } = await registerBackendClient(sandbox);
    const jwt = await signAssertion(key, { iss: clientId, sub: clientId, aud: tokenUrl, exp: Math.floor(clock.now() / 1000) + 60 });
    await expectOAuthError(await send(sandbox, '/auth/token', assertionForm(jwt, 'urn:wrong')), 401, 'invalid_client', /client_assertion_type/);
  });

  it('refuses a JSON body, a missing grant_type and an unknown one', async () => {
    const { sandbox } = createTestSandbox();
    const json = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) };
    await expectOAuthError(await send(sandbox, '/auth/token', json), 400, 'invalid_request', /application\/x-www-form-urlencoded .* a JSON body/);
    await expectOAuthError(await send(sandbox, '/auth/token', formPost({})), 400, 'invalid_request', /grant_type parameter is missing/);
    await expectOAuthError(await send(sandbox, '/auth/token', formPost({ grant_type: 'password' })), 400, 'unsupported_grant_type', /"password"/);
    await expectOAuthError(await send(sandbox, '/auth/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=a&grant_type=b' }), 400, 'invalid_request', /more than once/);
  });

  it('answers the simulated failures as RFC 6749 errors', async () => {
    const { sandbox } = createTestSandbox();
    await expectOAuthError(await send(sandbox, '/auth/token', simulating('invalid_client', formPost({ grant_type: 'client_credentials' }))), 401, 'invalid_client', /simulated/);
    const limited = await send(sandbox, '/auth/token', simulating('rate_limit_storm', formPost({ grant_type: 'client_credentials' })));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
  });

  it('lets a system token read every patient and enforces the resource type', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { clientId, key } = await registerBackendClient(sandbox, { scope: 'system/Patient.rs' });
    const response = await send(sandbox, '/auth/token', await backendTokenRequest(clientId, key, { now: clock.now(), scope: 'system/Patient.rs' }));
    const { access_token } = (await response.json()) as { access_token: string };
    const patients = (await (await send(sandbox, '/fhir/Patient', bearer(access_token))).json()) as { total: number };
    expect(patients.total).toBe(8);
    expect((await send(sandbox, '/fhir/Patient/smart-5', bearer(access_token))).status).toBe(200);
    expect((await send(sandbox, '/fhir/Observation', bearer(access_token))).status).toBe(403);
  });
});

describe('a Backend Services client registered by jwks_uri', () => {
  const servers: Served[] = [];
  let restoreEnv: () => void = () => undefined;
  afterEach(async () => {
    restoreEnv();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function serve(answer: (response: ServerResponse) => void): Promise<Served> {
    const hits: string[] = [];
    const server = createServer((request, response) => {
      hits.push(`${request.method} ${request.url}`);
      answer(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const served = {
      origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      hits,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
    servers.push(served);
    return served;
  }

  /** The console: where the server reaches itself (CONSOLE_INTERNAL_ORIGIN), on the default port 3000 for the page. */
  function consoleAt(origin: string) {
    restoreEnv = setEnv({ PORT: '3000', CONSOLE_INTERNAL_ORIGIN: origin, CONSOLE_PUBLIC_ORIGIN: undefined });
  }

  const answers: Record<string, (response: ServerResponse) => void> = {
    'an HTTP 500': (response) => response.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error'),
    'an HTML page': (response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><title>admin</title></html>'),
    'JSON that is not a JWKS': (response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}'),
    'a redirect': (response) => response.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  };

  async function tokenError(sandbox: SmartSandbox, clientId: string, key: StoredClientKey, now: number): Promise<string> {
    const response = await send(sandbox, '/auth/token', await backendTokenRequest(clientId, key, { now }));
    const body = (await response.json()) as { error: string; error_description: string };
    expect({ status: response.status, error: body.error }).toEqual({ status: 401, error: 'invalid_client' });
    return body.error_description;
  }

  it('fetches the keys from the console’s own address, caches them, and refetches at once when an assertion names a new kid', async () => {
    const first = await generateClientKey('ES384');
    const second = await generateClientKey('RS384');
    let keys: StoredClientKey[] = [first];
    const consoleServer = await serve((response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(publicJwks(keys))));
    consoleAt(consoleServer.origin);
    const { sandbox, clock } = createTestSandbox();
    // As the page shows it: the browser's origin, not the address the server reaches itself at.
    const { clientId } = await registerBackendClient(sandbox, { jwksUri: `http://localhost:3000/jwks/${testJwksId}`, key: first });

    expect((await send(sandbox, '/auth/token', await backendTokenRequest(clientId, first, { now: clock.now() }))).status).toBe(200);
    expect((await send(sandbox, '/auth/token', await backendTokenRequest(clientId, first, { now: clock.now() }))).status).toBe(200);
    expect(consoleServer.hits).toEqual([`GET /jwks/${testJwksId}`]);

    // The client rotates: the new key is published and used straight away.
    keys = [first, second];
    expect((await send(sandbox, '/auth/token', await backendTokenRequest(clientId, second, { now: clock.now() }))).status).toBe(200);
    expect(consoleServer.hits).toHaveLength(2);

    // The old key is withdrawn; after the cache's 60 s the server sees that.
    keys = [second];
    clock.advance(61_000);
    await expectOAuthError(
      await send(sandbox, '/auth/token', await backendTokenRequest(clientId, first, { now: clock.now() })),
      401,
      'invalid_client',
      new RegExp(`No key with kid "${first.kid}"`),
    );
  });

  it('SECURITY 16: a client whose stored jwks_uri points elsewhere on loopback makes no request there, and its error says nothing of what listens', async () => {
    const key = await generateClientKey('ES384');
    const consoleServer = await serve((response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(publicJwks([key]))));
    consoleAt(consoleServer.origin);
    const canaries = await Promise.all(Object.values(answers).map((answer) => serve(answer)));
    const closedPort = await freePort();
    // Registration refuses these addresses, so they are planted in the store as an older registration would be.
    const planted = [
      `http://127.0.0.1:${closedPort}/x`,
      `http://127.0.0.1:${closedPort}/jwks/${testJwksId}`,
      ...canaries.flatMap((canary) => [`${canary.origin}/x`, `${canary.origin}/jwks/${testJwksId}`]),
    ];
    const clients = createClientRegistry();
    await Promise.all(
      planted.map((jwksUri, index) =>
        clients.add({ clientId: `planted-${index}`, clientName: 'planted', authMethod: 'private_key_jwt', grantTypes: ['client_credentials'], redirectUris: [], scopes: ['system/*.rs'], jwksUri, dpopBoundAccessTokens: false, requirePushedAuthorizationRequests: false }),
      ),
    );
    const { sandbox, clock } = createTestSandbox({ clients });

    const errors = new Set<string>();
    for (const [index] of planted.entries()) errors.add(await tokenError(sandbox, `planted-${index}`, key, clock.now()));

    expect(canaries.map((canary) => canary.hits)).toEqual(canaries.map(() => []));
    expect(consoleServer.hits).toEqual([]);
    expect([...errors]).toEqual([JWKS_UNREADABLE]);
    expect(JWKS_UNREADABLE).not.toMatch(/\d{2,}|127\.0\.0\.1|HTTP|JSON|redirect|reach/i);
  });

  it('SECURITY 16: reading the keys fails with one and the same text for a closed port, a 500, a non-JSON answer, a redirect and an oversized answer', async () => {
    const key = await generateClientKey('ES384');
    const outcomes: string[] = [];
    const closedPort = await freePort();
    const origins = [
      `http://127.0.0.1:${closedPort}`,
      ...(await Promise.all(Object.values(answers).map((answer) => serve(answer)))).map((server) => server.origin),
      (await serve((response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(`{"keys":[],"pad":"${'x'.repeat(300 * 1024)}"}`))).origin,
    ];
    for (const origin of origins) {
      consoleAt(origin);
      const { sandbox, clock } = createTestSandbox();
      // The console's own JWKS URL on the address the server reaches itself at: allowed, and fetched there.
      const { clientId } = await registerBackendClient(sandbox, { jwksUri: `${origin}/jwks/${testJwksId}`, key });
      outcomes.push(await tokenError(sandbox, clientId, key, clock.now()));
      restoreEnv();
    }
    expect(new Set(outcomes)).toEqual(new Set([JWKS_UNREADABLE]));
    expect(outcomes).toHaveLength(6);
  });
});

interface Served {
  origin: string;
  hits: string[];
  close(): Promise<void>;
}

async function signAssertion(key: StoredClientKey, claims: { iss: string; sub: string; aud: string; exp: number }): Promise<string> {
  return new SignJWT({ ...claims, jti: crypto.randomUUID(), iat: claims.exp - 60 })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .sign(await importJWK(key.privateJwk, key.alg));
}

function assertionForm(assertion: string, type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'): RequestInit {
  return formPost({ grant_type: 'client_credentials', scope: 'system/*.rs', client_assertion_type: type, client_assertion: assertion });
}
