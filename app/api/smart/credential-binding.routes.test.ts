import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwtParts } from '@/lib/contract/jwt';
import { getVault } from '@/lib/session';
import { updateWorkspace } from '@/lib/smart/workspace';
import { callRoute, listen, type Listener } from '@/test/route-harness';
import * as fhirRoute from '../fhir/[providerId]/route';
import * as introspectRoute from '../oauth/[providerId]/introspect/route';
import * as tokenRoute from '../oauth/[providerId]/token/route';
import * as keysRoute from './keys/route';
import * as customProviderRoute from './providers/[customProviderId]/route';
import * as customProvidersRoute from './providers/route';

/**
 * SECURITY.md rule 15 (issue #13, item 4) through the real routes: a saved client secret, and the use of a saved
 * signing key, belong to the server they were saved for. Two loopback authorization servers stand for the server a
 * provider was saved at (A) and another one (B); each records every request it receives, so "B received nothing"
 * is counted.
 */

type Handler = Parameters<typeof callRoute>[0];

interface FakeServer extends Listener {
  /** Every request with its Authorization header and body. */
  received: { line: string; authorization: string; body: string }[];
  /** Where the metadata says the token endpoint is (its own origin unless a test moves it). */
  tokenOrigin: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function fakeServer(): Promise<FakeServer> {
  const received: FakeServer['received'] = [];
  const server: FakeServer = Object.assign(
    await listen(async (req, res) => {
      const body = await readBody(req);
      received.push({ line: `${req.method} ${req.url}`, authorization: req.headers.authorization ?? '', body });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const json = (value: unknown) => {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
        return true;
      };
      if (path === '/fhir/.well-known/smart-configuration') {
        return json({
          token_endpoint: `${server.tokenOrigin}/token`,
          introspection_endpoint: `${server.tokenOrigin}/introspect`,
          grant_types_supported: ['client_credentials'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
          token_endpoint_auth_signing_alg_values_supported: ['ES384'],
          capabilities: ['client-confidential-asymmetric', 'client-confidential-symmetric', 'permission-v2'],
          scopes_supported: ['system/*.rs'],
        });
      }
      if (path === '/token' && req.method === 'POST') {
        return json({ access_token: `at-${randomBytes(12).toString('hex')}`, token_type: 'bearer', expires_in: 300, scope: 'system/*.rs' });
      }
      if (path === '/introspect' && req.method === 'POST') return json({ active: true });
      if (path === '/fhir/Patient') return json({ resourceType: 'Bundle', type: 'searchset', total: 0 });
      return false;
    }),
    { received, tokenOrigin: '' },
  );
  server.tokenOrigin = server.origin;
  return server;
}

let a: FakeServer;
let b: FakeServer;
let cookie: string | undefined;

const call = async (handler: unknown, options: Parameters<typeof callRoute>[1]) => {
  const result = await callRoute(handler as Handler, { ...options, cookie: options.cookie ?? cookie });
  cookie = result.cookie ?? cookie;
  return result;
};

const errorOf = (result: { json: unknown }) => (result.json as { error: { code: string; message: string; hint?: string; issues?: { path: string }[] } }).error;
const secretConfig = { grant: 'client_credentials', clientAuth: 'client_secret_basic', pkce: 'none', scopes: ['system/*.rs'], launch: 'standalone' } as const;
const keyConfig = { ...secretConfig, clientAuth: 'private_key_jwt' } as const;
const basicSecretOf = (authorization: string) => Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8').split(':')[1];
const tokenRequests = (server: FakeServer) => server.received.filter((r) => r.line === 'POST /token');

async function save(body: Record<string, unknown>): Promise<string> {
  const saved = await call(customProvidersRoute.POST, { path: '/api/smart/providers', body });
  expect(saved.response.status, JSON.stringify(saved.json)).toBe(200);
  return (saved.json as { provider: { id: string } }).provider.id;
}

const put = (id: string, body: Record<string, unknown>) =>
  call(customProviderRoute.PUT, { method: 'PUT', path: `/api/smart/providers/${id}`, params: { customProviderId: id }, body });

const getToken = (id: string) =>
  call(tokenRoute.POST, { path: `/api/oauth/${id}/token`, params: { providerId: id }, body: { environmentId: 'discovered', credential: { kind: 'preset', presetId: 'saved' }, forceNew: true } });

/** Changes a saved record in the vault directly, as a bug or a tampered store would, keeping what it was bound to. */
async function alterRecord(id: string, change: (record: { server: { token_endpoint?: string }; fhirBaseUrl: string }) => void) {
  await updateWorkspace(getVault(), 'local', (workspace) => {
    const record = workspace.providers.find((p) => p.id === id);
    if (!record) throw new Error(`no record ${id}`);
    change(record);
    return { workspace, result: null };
  });
}

beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'f'.repeat(64);
  process.env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS = '1';
  a = await fakeServer();
  b = await fakeServer();
});
afterAll(async () => {
  await a.close();
  await b.close();
  delete process.env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS;
});

describe('a saved client secret stays with the server it was given for', () => {
  const secretA = `secret-for-A-${randomBytes(8).toString('hex')}`;
  const secretB = `secret-for-B-${randomBytes(8).toString('hex')}`;
  let id = '';
  const base = () => ({ name: 'Payer', discoveryUrl: `${a.origin}/fhir`, clientId: 'victim-client', config: secretConfig });

  beforeAll(async () => {
    id = await save({ ...base(), clientSecret: secretA });
  });

  it('SECURITY 15: a PUT that points the provider at another server without the secret is refused, and that server receives nothing', async () => {
    const edits: [string, Record<string, unknown>][] = [
      ['the discovery URL', { discoveryUrl: `${b.origin}/fhir` }],
      ['the FHIR base URL', { fhirBaseUrl: `${b.origin}/fhir` }],
    ];
    for (const [what, edit] of edits) {
      const refused = await put(id, { ...base(), ...edit });
      expect(refused.response.status, what).toBe(400);
      const error = errorOf(refused);
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain(`was given for ${a.origin}`);
      expect(error.message).toContain(`this server is ${b.origin}`);
      expect(error.message).toMatch(/enter the client secret again/i);
      expect(error.issues?.map((issue) => issue.path)).toEqual(['clientSecret']);
      expect(JSON.stringify(refused.json)).not.toContain(secretA);
    }

    // The same discovery URL, but the server's metadata now puts the token endpoint on B.
    a.tokenOrigin = b.origin;
    try {
      const moved = await put(id, base());
      expect(moved.response.status).toBe(400);
      expect(errorOf(moved).message).toContain(`${a.origin} (token endpoint)`);
      expect(errorOf(moved).message).toContain(`${b.origin} (token endpoint)`);
    } finally {
      a.tokenOrigin = a.origin;
    }

    expect(b.received).toEqual([]);
    // Nothing was saved: the next token request still goes to A, with A's secret.
    expect((await getToken(id)).response.status).toBe(200);
    expect(basicSecretOf(tokenRequests(a).at(-1)?.authorization ?? '')).toBe(secretA);
    expect(b.received).toEqual([]);
  });

  it('SECURITY 15: with a new secret the PUT saves, and the new server receives the new secret, never the old', async () => {
    const saved = await put(id, { ...base(), discoveryUrl: `${b.origin}/fhir`, clientSecret: secretB });
    expect(saved.response.status, JSON.stringify(saved.json)).toBe(200);
    expect(saved.json).toMatchObject({ provider: { discoveryUrl: `${b.origin}/fhir`, hasClientSecret: true } });
    expect(JSON.stringify(saved.json)).not.toContain(secretB);

    expect((await getToken(id)).response.status).toBe(200);
    expect(tokenRequests(b)).toHaveLength(1);
    expect(basicSecretOf(tokenRequests(b)[0]?.authorization ?? '')).toBe(secretB);
    expect(JSON.stringify(b.received)).not.toContain(secretA);
    expect(JSON.stringify(b.received)).not.toContain(Buffer.from(`victim-client:${secretA}`).toString('base64'));
  });

  it('SECURITY 15: an edit that keeps the server keeps the saved secret without asking for it', async () => {
    const renamed = await put(id, { ...base(), name: 'Payer (renamed)', discoveryUrl: `${b.origin}/fhir`, fhirBaseUrl: `${b.origin}/fhir/` });
    expect(renamed.response.status, JSON.stringify(renamed.json)).toBe(200);
    expect(renamed.json).toMatchObject({ provider: { name: 'Payer (renamed)', hasClientSecret: true } });
    expect((await getToken(id)).response.status).toBe(200);
    expect(basicSecretOf(tokenRequests(b).at(-1)?.authorization ?? '')).toBe(secretB);
  });

  it('SECURITY 15: at use, a record whose endpoints were changed after saving sends its secret nowhere else', async () => {
    // A token from B first, to introspect below.
    expect((await getToken(id)).response.status).toBe(200);
    const before = a.received.length;

    await alterRecord(id, (record) => {
      record.server.token_endpoint = `${a.origin}/token`;
    });
    const token = await getToken(id);
    expect(token.response.status).toBe(409);
    expect(errorOf(token).code).toBe('conflict');
    expect(errorOf(token).message).toContain(`belongs to ${b.origin}, but its token endpoint is now on ${a.origin}`);
    const introspected = await call(introspectRoute.POST, { path: `/api/oauth/${id}/introspect`, params: { providerId: id } });
    expect(introspected.response.status).toBe(409);

    await alterRecord(id, (record) => {
      record.server.token_endpoint = `${b.origin}/token`;
      record.fhirBaseUrl = `${a.origin}/fhir`;
    });
    const fhir = await call(fhirRoute.POST, { path: `/api/fhir/${id}`, params: { providerId: id }, body: { path: '/fhir/Patient' } });
    expect(fhir.response.status).toBe(409);
    expect(errorOf(fhir).message).toContain(`its FHIR base URL is now on ${a.origin}`);
    expect((await getToken(id)).response.status).toBe(409);

    expect(a.received.slice(before)).toEqual([]);
    expect(JSON.stringify(a.received)).not.toContain(secretB);
  });
});

describe('a saved signing key signs only for the server it was confirmed for', () => {
  let id = '';
  let kid = '';
  const base = () => ({ name: 'Backend', discoveryUrl: `${a.origin}/fhir`, clientId: 'svc-client', keyKid: kid, config: keyConfig });

  beforeAll(async () => {
    const created = await call(keysRoute.POST, { path: '/api/smart/keys', body: { action: 'generate', alg: 'ES384' } });
    kid = (created.json as { key: { kid: string } }).key.kid;
    id = await save(base());
    a.received.length = 0;
    b.received.length = 0;
  });

  it('SECURITY 15: pointing a private_key_jwt provider at another server needs the key confirmed for it; then the assertions go there', async () => {
    const refused = await put(id, { ...base(), discoveryUrl: `${b.origin}/fhir` });
    expect(refused.response.status).toBe(400);
    expect(errorOf(refused).message).toContain(`The signing key was confirmed for ${a.origin}`);
    expect(errorOf(refused).message).toContain(`this server is ${b.origin}`);
    expect(errorOf(refused).issues?.map((issue) => issue.path)).toEqual(['keyConfirmedForNewServer']);
    expect(b.received).toEqual([]);

    const confirmed = await put(id, { ...base(), discoveryUrl: `${b.origin}/fhir`, keyConfirmedForNewServer: true });
    expect(confirmed.response.status, JSON.stringify(confirmed.json)).toBe(200);
    expect((await getToken(id)).response.status).toBe(200);
    const assertion = new URLSearchParams(tokenRequests(b).at(-1)?.body).get('client_assertion') ?? '';
    expect(decodeJwtParts(assertion)?.claims).toMatchObject({ iss: 'svc-client', aud: `${b.origin}/token` });

    // The same server again: nothing to confirm.
    const kept = await put(id, { ...base(), name: 'Backend (renamed)', discoveryUrl: `${b.origin}/fhir` });
    expect(kept.response.status, JSON.stringify(kept.json)).toBe(200);
  });

  it('SECURITY 15: at use, a private_key_jwt record whose token endpoint was changed after saving signs nothing for it', async () => {
    const before = a.received.length;
    await alterRecord(id, (record) => {
      record.server.token_endpoint = `${a.origin}/token`;
    });
    const token = await getToken(id);
    expect(token.response.status).toBe(409);
    expect(errorOf(token).message).toContain(`saved signing key of Backend (renamed) belongs to ${b.origin}`);
    expect(a.received.slice(before)).toEqual([]);
  });
});
