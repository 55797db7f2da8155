import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/http/errors';
import { resolveFlow, type ResolvedFlow } from '@/lib/oauth/flow';
import { withClientKey } from './catalogue';
import { customProviderToProvider, type CustomProviderRecord } from './custom-provider';
import { customProviderRecord } from './test-helpers';

const record = (overrides: Partial<CustomProviderRecord> = {}): CustomProviderRecord =>
  customProviderRecord({
    credentialBinding: { discovery: 'https://fhir.payer.example', token: 'https://auth.payer.example', fhir: 'https://fhir.payer.example' },
    config: { grant: 'client_credentials', clientAuth: 'client_secret_basic', pkce: 'none', scopes: ['system/*.rs'], launch: 'standalone' },
    server: {
      token_endpoint: 'https://auth.payer.example/token',
      introspection_endpoint: 'https://auth.payer.example/introspect',
      smart_versions: ['v2'],
      sources: {},
    },
    ...overrides,
  });

function flowOf(saved: CustomProviderRecord): ResolvedFlow {
  return resolveFlow(customProviderToProvider(saved), 'discovered', { kind: 'preset', presetId: 'saved' });
}

function refusal(run: () => unknown): HttpError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
}

describe('withClientKey', () => {
  it('SECURITY 15: refuses a saved provider’s flow whose token, introspection or FHIR origin is not the server its secret or key was saved for', () => {
    const saved = record();
    const flow = flowOf(saved);
    expect(withClientKey(flow, { provider: flow.provider, record: saved })).toBe(flow);

    const elsewhere = new URL('https://evil.example/x');
    const strayFlows: [string, ResolvedFlow][] = [
      ['token endpoint', { ...flow, env: { ...flow.env, tokenUrl: elsewhere } }],
      ['introspection endpoint', { ...flow, env: { ...flow.env, introspectionUrl: elsewhere } }],
      ['FHIR base', { ...flow, env: { ...flow.env, apiOrigin: elsewhere.origin } }],
    ];
    for (const [what, stray] of strayFlows) {
      const refused = refusal(() => withClientKey(stray, { provider: flow.provider, record: saved }));
      expect(refused, what).toMatchObject({ status: 409, code: 'conflict' });
      expect(refused?.message, what).toContain('https://evil.example');
    }

    // A record whose endpoints moved after it was saved, its binding left as it was.
    const moved = record({ server: { ...saved.server, token_endpoint: 'https://evil.example/token' } });
    expect(refusal(() => withClientKey(flowOf(moved), { provider: customProviderToProvider(moved), record: moved }))?.message).toMatch(
      /client secret of Payer sandbox belongs to https:\/\/auth\.payer\.example, but its token endpoint is now on https:\/\/evil\.example/,
    );

    const keyed = record({ clientSecret: '', keyKid: 'kid-1', config: { ...saved.config, clientAuth: 'private_key_jwt' }, server: moved.server });
    expect(refusal(() => withClientKey(flowOf(keyed), { provider: customProviderToProvider(keyed), record: keyed }))?.message).toMatch(/signing key/);
  });

  it('lets a public client (no secret, no key) and a record saved before the binding existed run as before', () => {
    const open = record({ clientSecret: '', config: { ...record().config, clientAuth: 'none' }, server: { ...record().server, token_endpoint: 'https://other.example/token' } });
    const openFlow = flowOf(open);
    expect(withClientKey(openFlow, { provider: openFlow.provider, record: open })).toBe(openFlow);

    const legacy = record({ credentialBinding: undefined });
    const legacyFlow = flowOf(legacy);
    expect(withClientKey(legacyFlow, { provider: legacyFlow.provider, record: legacy })).toBe(legacyFlow);
  });
});
