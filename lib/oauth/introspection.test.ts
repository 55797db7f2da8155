import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { providerSchema, type ProviderInput } from '@/lib/providers/schema';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault, type StoredToken } from '@/lib/session/vault';
import type { ResolvedFlow } from './flow';
import { introspectSessionToken } from './introspection';

const ACCESS_TOKEN = 'opaque-access-token-to-introspect-0123456789';
const CLIENT_SECRET = 'introspection-client-secret+/~0123456789';

/** An RFC 7662 endpoint that says the token is active and repeats what it was sent in its claims. */
let server: Server;
let origin = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const authorization = req.headers.authorization ?? '';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          active: true,
          scope: 'patient/*.read',
          echo: body,
          header: authorization,
          nested: { seen: [new URLSearchParams(body).get('token'), Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString()] },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const providerInput: ProviderInput = {
  id: 'demo',
  name: 'Demo AS',
  summary: 'test',
  docs: [],
  environments: [
    { id: 'builtin', kind: 'builtin', label: 'Built-in', origin: null, tokenPath: '/token', introspectionPath: '/introspect', fhirBasePath: '/fhir', allowedPathPrefixes: ['/fhir/'] },
  ],
  grant: {
    grantType: 'client_credentials', clientAuth: 'basic', httpMethod: 'POST', body: 'form', extraParams: {}, scopes: [], headers: {},
    pkce: 'S256', stateMinLength: 0, refresh: { supported: false, rotates: false },
  },
  documentedTokenLifetimeSeconds: 3600,
  tokenFormat: 'opaque',
  tokenReuse: { reuseLiveToken: false, reason: '' },
  presets: [],
  allowCustomCredentials: true,
  defaultRequests: [],
  knownDeviations: [],
};

describe('introspectSessionToken', () => {
  it('SECURITY 15: claims an echoing introspection endpoint returns reach the page without the token or the client secret', async () => {
    const provider = providerSchema.parse(providerInput);
    const env = resolveEnvironment(provider, provider.environments[0]!, origin);
    const flow: ResolvedFlow = { provider, env, grant: provider.grant, credential: { kind: 'custom', label: 'mine', clientId: 'client-1', clientSecret: CLIENT_SECRET } };
    const vault = new SessionVault(new MemoryVaultStore(), { '1': 'z'.repeat(32) });
    const stored = { accessToken: ACCESS_TOKEN, environmentId: 'builtin', providerId: 'demo' } as StoredToken;
    const result = await introspectSessionToken({ vault, sid: 'sid-1' }, stored, flow);
    expect(result.active).toBe(true);
    expect(result.claims.scope).toBe('patient/*.read');
    const text = JSON.stringify(result);
    for (const secret of [ACCESS_TOKEN, CLIENT_SECRET]) {
      for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(`client-1:${secret}`).toString('base64')]) {
        expect(text.includes(form), form).toBe(false);
      }
    }
    expect(text).toContain('[redacted hmac:');
  });
});
