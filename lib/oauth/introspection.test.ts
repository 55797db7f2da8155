import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { providerSchema } from '@/lib/providers/schema';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault, type StoredToken } from '@/lib/session/vault';
import type { ResolvedFlow } from './flow';
import { introspectSessionToken } from './introspection';
import { demoProviderInput, startFormEndpoint, storedTokenFixture } from './test-helpers';

const ACCESS_TOKEN = 'opaque-access-token-to-introspect-0123456789';
const CLIENT_SECRET = 'introspection-client-secret+/~0123456789';

/** An RFC 7662 endpoint that says the token is active and repeats what it was sent in its claims. */
let origin = '';
let close: () => Promise<void>;
beforeAll(async () => {
  ({ origin, close } = await startFormEndpoint((form, request, body) => {
    const authorization = request.headers.authorization ?? '';
    return {
      status: 200,
      json: {
        active: !form.get('token')?.startsWith('inactive-'),
        scope: 'patient/*.read',
        echo: body,
        header: authorization,
        nested: { seen: [form.get('token'), Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString()] },
      },
    };
  }));
});
afterAll(() => close());

const providerInput = demoProviderInput({
  environment: { introspectionPath: '/introspect' },
  grant: { grantType: 'client_credentials', scopes: [], stateMinLength: 0, refresh: { supported: false, rotates: false } },
});

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

  it('records an inactive answer on the session token as the provider refusing it; an active one changes nothing', async () => {
    const provider = providerSchema.parse(providerInput);
    const env = resolveEnvironment(provider, provider.environments[0]!, origin);
    const flow: ResolvedFlow = { provider, env, grant: provider.grant, credential: { kind: 'custom', label: 'mine', clientId: 'client-1', clientSecret: CLIENT_SECRET } };
    const vault = new SessionVault(new MemoryVaultStore(), { '1': 'z'.repeat(32) });
    const expiresAt = Date.now() + 3_600_000;
    const live = storedTokenFixture({ accessToken: ACCESS_TOKEN, expiresAt });
    await vault.putToken('sid-2', live);
    expect((await introspectSessionToken({ vault, sid: 'sid-2' }, live, flow)).active).toBe(true);
    expect((await vault.getToken('sid-2', 'demo'))?.refusal).toBeUndefined();

    const ended = storedTokenFixture({ accessToken: `inactive-${ACCESS_TOKEN}`, expiresAt });
    await vault.putToken('sid-2', ended);
    const result = await introspectSessionToken({ vault, sid: 'sid-2' }, ended, flow);
    expect(result.active).toBe(false);
    expect((await vault.getToken('sid-2', 'demo'))?.refusal).toMatchObject({ source: 'introspection', exchangeId: result.exchangeId, reason: expect.stringContaining('not active') });
  });
});
