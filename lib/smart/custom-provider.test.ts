import { describe, expect, it } from 'vitest';
import { toProviderDto } from '@/lib/providers/dto';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { customProviderToProvider, toCustomProviderDto, type CustomProviderRecord } from './custom-provider';
import { customProviderRecord } from './test-helpers';

const record = (overrides: Partial<CustomProviderRecord> = {}): CustomProviderRecord =>
  customProviderRecord({
    config: { grant: 'authorization_code', clientAuth: 'client_secret_basic', pkce: 'S256', scopes: ['openid', 'offline_access', 'patient/*.rs'], launch: 'standalone' },
    server: {
      issuer: 'https://auth.payer.example/realms/r4',
      authorization_endpoint: 'https://auth.payer.example/realms/r4/protocol/openid-connect/auth',
      token_endpoint: 'https://auth.payer.example/realms/r4/protocol/openid-connect/token',
      jwks_uri: 'https://auth.payer.example/realms/r4/protocol/openid-connect/certs',
      capabilities: ['launch-standalone', 'permission-v2'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      smart_versions: ['v2'],
      sources: { token_endpoint: ['smart-configuration', 'openid-configuration'] },
    },
    ...overrides,
  });

describe('customProviderToProvider', () => {
  it('turns discovered endpoints on other hosts into one environment the flows can run', () => {
    const provider = customProviderToProvider(record());
    const env = resolveEnvironment(provider, provider.environments[0]!);
    expect(env.tokenUrl.toString()).toBe('https://auth.payer.example/realms/r4/protocol/openid-connect/token');
    expect(env.authorizeUrl?.toString()).toBe('https://auth.payer.example/realms/r4/protocol/openid-connect/auth');
    expect(env.jwksUrl?.toString()).toBe('https://auth.payer.example/realms/r4/protocol/openid-connect/certs');
    expect(env.fhirBaseUrl.toString()).toBe('https://fhir.payer.example/r4');
    expect(env.apiOrigin).toBe('https://fhir.payer.example');
    expect(env.environment.allowedPathPrefixes).toEqual(['/r4']);
    expect(env.environment.issuer).toBe('https://auth.payer.example/realms/r4');
  });

  it('maps the configuration to a grant recipe: SMART aud, PKCE, refresh when offline_access is asked', () => {
    const { grant, presets } = customProviderToProvider(record());
    expect(grant).toMatchObject({ grantType: 'authorization_code', clientAuth: 'basic', pkce: 'S256', smartAudience: true, refresh: { supported: true } });
    expect(presets[0]).toMatchObject({ id: 'saved', clientId: 'app-1', clientSecret: 's3cr3t-value', environments: ['discovered'] });
  });

  it('SECURITY 14: PKCE set to none becomes the stated opt-out: a nonce binds the code with openid, else the page names the risk', () => {
    const noPkce = (scopes: string[]) => customProviderToProvider(record({ config: { ...record().config, pkce: 'none', scopes } }));
    const withOpenid = noPkce(['openid', 'patient/*.rs']);
    expect(withOpenid.grant.pkce).toEqual({ serverRefusesPkce: true, reason: expect.stringContaining('“none”'), codeBinding: 'oidc_nonce' });
    expect(toProviderDto(withOpenid, true, 'https://console.example').grant.codeBinding).toMatchObject({ method: 'oidc_nonce' });
    const without = toProviderDto(noPkce(['patient/*.rs']), true, 'https://console.example').grant.codeBinding;
    expect(without).toEqual({ method: 'none', pkceRefusal: expect.stringContaining('“none”'), risk: expect.stringContaining('Nothing binds the authorization code') });
    // Client credentials has no code to bind: its "none" is not an opt-out.
    const backend = customProviderToProvider(record({ clientSecret: '', keyKid: 'kid-1', config: { grant: 'client_credentials', clientAuth: 'private_key_jwt', pkce: 'none', scopes: ['system/*.rs'], launch: 'standalone' } }));
    expect(backend.grant.pkce).toBe('S256');
  });

  it('asks offline access with prompt=consent (OpenID Connect Core §11), and only then', () => {
    expect(customProviderToProvider(record()).grant.authorizeParams).toEqual({ prompt: 'consent' });
    const online = record({ config: { ...record().config, scopes: ['openid', 'patient/*.rs'] } });
    expect(customProviderToProvider(online).grant.authorizeParams).toEqual({});
  });

  it('runs SMART Backend Services as client_credentials with private_key_jwt and no secret', () => {
    const provider = customProviderToProvider(
      record({ clientSecret: '', keyKid: 'kid-1', config: { grant: 'client_credentials', clientAuth: 'private_key_jwt', pkce: 'none', scopes: ['system/*.rs'], launch: 'standalone' } }),
    );
    expect(provider.grant).toMatchObject({ grantType: 'client_credentials', clientAuth: 'private_key_jwt', extraParams: { grant_type: 'client_credentials' }, scopes: ['system/*.rs'], smartAudience: false });
    expect(provider.presets[0]?.notes).toMatch(/signed client assertion \(key kid-1…\)/);
  });

  it('sends no SMART aud to a plain OAuth server (no SMART configuration)', () => {
    const provider = customProviderToProvider(record({ server: { ...record().server, capabilities: undefined, sources: { token_endpoint: ['openid-configuration'] } } }));
    expect(provider.grant.smartAudience).toBe(false);
  });

  it('refuses a record without a token endpoint', () => {
    expect(() => customProviderToProvider(record({ server: { ...record().server, token_endpoint: undefined } }))).toThrow(/token endpoint/);
  });
});

describe('toCustomProviderDto', () => {
  it('SECURITY 1: never carries the secret, only whether one is saved', () => {
    const dto = toCustomProviderDto(record(), 'http://localhost:3000/api/oauth/custom-abcdefghij/callback');
    expect(JSON.stringify(dto)).not.toContain('s3cr3t-value');
    expect(dto.hasClientSecret).toBe(true);
    expect(dto.redirectUri).toBe('http://localhost:3000/api/oauth/custom-abcdefghij/callback');
  });
});
