import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwtParts } from '@/lib/contract/jwt';
import { createMemoryJtiStore, verifyClientAssertion } from '@/lib/sandbox/smart/assertion-verifier';
import { callRoute, listen, ORIGIN, type Listener } from '@/test/route-harness';
import * as jwksRoute from '../../jwks/[jwksId]/route';
import * as providersRoute from '../providers/route';
import * as sessionRoute from '../session/route';
import * as introspectRoute from '../oauth/[providerId]/introspect/route';
import * as tokenRoute from '../oauth/[providerId]/token/route';
import * as discoverRoute from './discover/route';
import * as keyRoute from './keys/[kid]/route';
import * as keysRoute from './keys/route';
import * as customProviderRoute from './providers/[customProviderId]/route';
import * as customProvidersRoute from './providers/route';
import * as registerRoute from './register/route';

/**
 * The custom-provider routes end to end through their real handlers: keys and the public JWKS, discovery, RFC 7591
 * registration, save, and a SMART Backend Services token whose assertion a loopback authorization server verifies
 * against the JWKS the console publishes. The server here is a few lines on top of the console's own assertion
 * verifier; the real-package test (oidc-provider) is in e2e.
 */

type Handler = Parameters<typeof callRoute>[0];
const h = (f: unknown) => f as Handler;

let as: Listener;
let cookie: string | undefined;
const registered = new Map<string, string>();
const seenJtis = createMemoryJtiStore();
const assertionsSeen: string[] = [];
let audienceOverride: string | undefined;

async function readForm(req: import('node:http').IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function fetchConsoleJwks(jwksUri: string) {
  const id = new URL(jwksUri).pathname.split('/').pop() ?? '';
  const response = await jwksRoute.GET(new Request(jwksUri), { params: Promise.resolve({ jwksId: id }) });
  return (await response.json()) as { keys: import('jose').JWK[] };
}

beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'f'.repeat(64);
  process.env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS = '1';
  as = await listen(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      return true;
    };
    if (path === '/fhir/.well-known/smart-configuration') {
      return json(200, {
        issuer: as.origin,
        token_endpoint: `${as.origin}/token`,
        jwks_uri: `${as.origin}/jwks`,
        registration_endpoint: `${as.origin}/register`,
        introspection_endpoint: `${as.origin}/introspect`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['ES384', 'RS384'],
        code_challenge_methods_supported: ['S256'],
        capabilities: ['client-confidential-asymmetric', 'permission-v2'],
        scopes_supported: ['system/*.rs', 'system/Patient.rs'],
      });
    }
    if (path === '/register' && req.method === 'POST') {
      const metadata = JSON.parse(await readForm(req)) as { jwks_uri: string };
      const clientId = `svc-${registered.size + 1}`;
      registered.set(clientId, metadata.jwks_uri);
      return json(201, { ...metadata, client_id: clientId, registration_access_token: 'rat-should-never-show' });
    }
    if (path === '/introspect' && req.method === 'POST') {
      const form = new URLSearchParams(await readForm(req));
      const assertion = form.get('client_assertion') ?? '';
      const clientId = String(decodeJwtParts(assertion)?.claims.iss ?? '');
      const jwksUri = registered.get(clientId);
      const verified = jwksUri
        ? await verifyClientAssertion(assertion, { expectedAudience: `${as.origin}/token`, clientId, jwks: await fetchConsoleJwks(jwksUri), seenJtis })
        : { ok: false as const };
      if (!verified.ok) return json(401, { error: 'invalid_client' });
      return json(200, { active: true, client_id: clientId, scope: 'system/Patient.rs' });
    }
    if (path === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readForm(req));
      const assertion = form.get('client_assertion') ?? '';
      assertionsSeen.push(assertion);
      const clientId = String(decodeJwtParts(assertion)?.claims.iss ?? '');
      const jwksUri = registered.get(clientId);
      if (!jwksUri) return json(401, { error: 'invalid_client', error_description: 'client not found' });
      const verified = await verifyClientAssertion(assertion, {
        expectedAudience: audienceOverride ?? `${as.origin}/token`,
        clientId,
        jwks: await fetchConsoleJwks(jwksUri),
        seenJtis,
        clientAssertionType: form.get('client_assertion_type') ?? undefined,
      });
      if (!verified.ok) return json(401, { error: 'invalid_client', error_description: verified.reasons.map((r) => r.message).join(' ') });
      return json(200, { access_token: `at-${assertionsSeen.length}-${'x'.repeat(24)}`, token_type: 'bearer', expires_in: 300, scope: form.get('scope') });
    }
    return false;
  });
});
afterAll(async () => {
  await as.close();
  delete process.env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS;
});

const call = async (handler: unknown, options: Parameters<typeof callRoute>[1]) => {
  const result = await callRoute(h(handler), { ...options, cookie: options.cookie ?? cookie });
  cookie = result.cookie ?? cookie;
  return result;
};

describe('custom SMART provider routes', () => {
  let jwksUrl = '';
  let kid = '';
  let providerId = '';

  it('SECURITY 1: generates a key server-side and publishes only its public half at the JWKS URL', async () => {
    const created = await call(keysRoute.POST, { path: '/api/smart/keys', body: { action: 'generate', alg: 'ES384' } });
    expect(created.response.status).toBe(200);
    const body = created.json as { key: { kid: string; publicJwk: Record<string, unknown> }; jwksUrl: string };
    ({ jwksUrl } = body);
    kid = body.key.kid;
    expect(jwksUrl).toMatch(new RegExp(`^${ORIGIN}/jwks/[A-Za-z0-9_-]{22}$`));
    expect(body.key.publicJwk).not.toHaveProperty('d');
    const published = await fetchConsoleJwks(jwksUrl);
    expect(published.keys.map((k) => k.kid)).toEqual([kid]);
    expect(JSON.stringify(published)).not.toMatch(/"d"/);
    const listed = await call(keysRoute.GET, { method: 'GET', path: '/api/smart/keys' });
    expect((listed.json as { jwksUrl: string }).jwksUrl).toBe(jwksUrl);
  });

  it('refuses a public key where a private one is needed, saying what to paste', async () => {
    const refused = await call(keysRoute.POST, { path: '/api/smart/keys', body: { action: 'import', material: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----' } });
    expect(refused.response.status).toBe(400);
    expect((refused.json as { error: { message: string } }).error.message).toMatch(/private|public|PEM/i);
  });

  it('discovers the server and reports each document', async () => {
    const found = await call(discoverRoute.POST, { path: '/api/smart/discover', body: { url: `${as.origin}/fhir` } });
    expect(found.response.status).toBe(200);
    const dto = found.json as { ok: boolean; documents: { kind: string; status: string }[]; server: { token_endpoint: string } };
    expect(dto.ok).toBe(true);
    expect(dto.documents.map((d) => [d.kind, d.status])).toEqual([
      ['smart-configuration', 'ok'],
      ['openid-configuration', 'not_found'],
      ['openid-configuration', 'not_found'],
    ]);
    expect(dto.server.token_endpoint).toBe(`${as.origin}/token`);
  });

  it('refuses a loopback server unless the console allows it', async () => {
    process.env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS = '0';
    try {
      const refused = await call(discoverRoute.POST, { path: '/api/smart/discover', body: { url: `${as.origin}/fhir` } });
      expect((refused.json as { ok: boolean; refused?: { code: string } }).refused?.code).toBeDefined();
    } finally {
      process.env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS = '1';
    }
  });

  it('SECURITY 1: registers a private_key_jwt client with the console JWKS URL (RFC 7591), hiding registration secrets', async () => {
    const result = await call(registerRoute.POST, {
      path: '/api/smart/register',
      body: { discoveryUrl: `${as.origin}/fhir`, grant: 'client_credentials', scopes: ['system/Patient.rs'], keyKid: kid },
    });
    expect(result.response.status).toBe(200);
    const body = result.json as { clientId: string; jwksUri: string; registered: Record<string, unknown> };
    expect(body.registered).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES384', grant_types: ['client_credentials'] });
    expect(body.clientId).toBe('svc-1');
    expect(body.jwksUri).toBe(jwksUrl);
    expect(registered.get('svc-1')).toBe(jwksUrl);
    expect(JSON.stringify(result.json)).not.toContain('rat-should-never-show');
  });

  it('saves the provider per user with its checks, and lists it in the catalogue without secrets', async () => {
    const saved = await call(customProvidersRoute.POST, {
      path: '/api/smart/providers',
      body: {
        name: 'Loopback AS',
        discoveryUrl: `${as.origin}/fhir`,
        clientId: 'svc-1',
        keyKid: kid,
        config: { grant: 'client_credentials', clientAuth: 'private_key_jwt', pkce: 'none', scopes: ['system/Patient.rs'], launch: 'standalone' },
      },
    });
    expect(saved.response.status).toBe(200);
    const provider = (saved.json as { provider: { id: string; findings: { severity: string }[]; config: { assertionAlg?: string } } }).provider;
    providerId = provider.id;
    expect(providerId).toMatch(/^custom-[a-z0-9]{10}$/);
    expect(provider.config.assertionAlg).toBe('ES384');
    expect(provider.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const catalogue = await call(providersRoute.GET, { method: 'GET', path: '/api/providers' });
    const listed = (catalogue.json as { providers: { id: string; custom?: unknown; grant: { clientAuth: string } }[] }).providers.find((p) => p.id === providerId);
    expect(listed?.custom).toBeDefined();
    expect(listed?.grant.clientAuth).toBe('private_key_jwt');
  });

  it('SECURITY 1: gets a backend-services token with a fresh assertion each time; the page sees it decoded, never signed', async () => {
    const tokenUrl = `${as.origin}/token`;
    const body = { environmentId: 'discovered', credential: { kind: 'preset', presetId: 'saved' } };
    const first = await call(tokenRoute.POST, { path: `/api/oauth/${providerId}/token`, params: { providerId }, body });
    expect(first.response.status).toBe(200);
    const second = await call(tokenRoute.POST, { path: `/api/oauth/${providerId}/token`, params: { providerId }, body });
    expect(second.response.status).toBe(200);
    const assertionOf = (r: { json: unknown }) => (r.json as { token: { clientAssertion: { header: Record<string, unknown>; claims: Record<string, number | string> } } }).token.clientAssertion;
    const { header, claims } = assertionOf(first);
    expect(header).toMatchObject({ alg: 'ES384', kid, typ: 'JWT' });
    expect(claims).toMatchObject({ iss: 'svc-1', sub: 'svc-1', aud: tokenUrl });
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(300);
    expect(assertionOf(second).claims.jti).not.toBe(claims.jti);

    const session = await call(sessionRoute.GET, { method: 'GET', path: '/api/session' });
    const text = JSON.stringify(session.json) + JSON.stringify(first.json) + JSON.stringify(second.json);
    for (const assertion of assertionsSeen) expect(text).not.toContain(assertion);
    expect(text).toContain('client_assertion=');
  });

  it('introspects the token authenticating with a fresh assertion, as at the token endpoint', async () => {
    const answered = await call(introspectRoute.POST, { path: `/api/oauth/${providerId}/introspect`, params: { providerId } });
    expect(answered.response.status).toBe(200);
    expect(answered.json).toMatchObject({ active: true });
  });

  it('explains a rejected assertion in plain words', async () => {
    audienceOverride = `${as.origin}/somewhere-else`;
    try {
      const refused = await call(tokenRoute.POST, {
        path: `/api/oauth/${providerId}/token`,
        params: { providerId },
        body: { environmentId: 'discovered', credential: { kind: 'preset', presetId: 'saved' } },
      });
      expect(refused.response.status).toBe(424);
      const error = (refused.json as { error: { code: string; message: string; hint: string } }).error;
      expect(error.code).toBe('upstream_rejected');
      expect(error.message).toMatch(/client assertion/);
      expect(error.hint).toMatch(/aud/i);
    } finally {
      audienceOverride = undefined;
    }
  });

  it.each([
    ['wrong_aud', /aud/i],
    ['unknown_kid', /kid/i],
    ['iss_not_sub', /iss|sub/i],
    ['expired', /expired/i],
    ['replayed_jti', /jti|replay|used/i],
  ])('sends a deliberately broken assertion (%s) on request and explains the rejection', async (assertionFault, explained) => {
    const refused = await call(tokenRoute.POST, {
      path: `/api/oauth/${providerId}/token`,
      params: { providerId },
      body: { environmentId: 'discovered', credential: { kind: 'preset', presetId: 'saved' }, assertionFault },
    });
    expect(refused.response.status).toBe(424);
    const error = (refused.json as { error: { hint: string; clientAssertion: { claims: Record<string, unknown> } } }).error;
    expect(error.hint).toMatch(explained);
    expect(error.clientAssertion.claims.sub).toBe('svc-1');
  });

  it('SECURITY 9: calls a saved server only while its address is allowed: checked at each connection, not just when saved', async () => {
    process.env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS = '0';
    const before = assertionsSeen.length;
    try {
      const refused = await call(tokenRoute.POST, {
        path: `/api/oauth/${providerId}/token`,
        params: { providerId },
        body: { environmentId: 'discovered', credential: { kind: 'preset', presetId: 'saved' } },
      });
      expect(refused.response.status).toBe(400);
      expect((refused.json as { error: { message: string } }).error.message).toMatch(/resolves to 127\.0\.0\.1, a loopback address/);
      expect(assertionsSeen.length).toBe(before);
    } finally {
      process.env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS = '1';
    }
  });

  it('keeps a key while a provider signs with it, then deletes both', async () => {
    const blocked = await call(keyRoute.DELETE, { method: 'DELETE', path: `/api/smart/keys/${kid}`, params: { kid } });
    expect(blocked.response.status).toBe(409);
    const removed = await call(customProviderRoute.DELETE, { method: 'DELETE', path: `/api/smart/providers/${providerId}`, params: { customProviderId: providerId } });
    expect(removed.response.status).toBe(200);
    const gone = await call(tokenRoute.POST, {
      path: `/api/oauth/${providerId}/token`,
      params: { providerId },
      body: { environmentId: 'discovered', credential: { kind: 'preset', presetId: 'saved' } },
    });
    expect(gone.response.status).toBe(404);
    const deleted = await call(keyRoute.DELETE, { method: 'DELETE', path: `/api/smart/keys/${kid}`, params: { kid } });
    expect(deleted.response.status).toBe(200);
    expect((await fetchConsoleJwks(jwksUrl)).keys).toEqual([]);
  });
});
