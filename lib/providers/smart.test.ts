import { describe, expect, it } from 'vitest';
import { toProviderDto } from './dto';
import { providers } from './index';
import { resolveEnvironment } from './resolve';
import { providerSchema } from './schema';
import { smart } from './smart';

describe('the SMART reference server provider file', () => {
  it('is a valid provider: authorization code, PKCE S256, aud, rotating refresh, JWT tokens', () => {
    expect(providerSchema.safeParse(smart).success).toBe(true);
    expect(smart.grant).toMatchObject({
      grantType: 'authorization_code',
      clientAuth: 'basic',
      pkce: 'S256',
      smartAudience: true,
      refresh: { supported: true, rotates: true },
      scopes: ['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/*.rs'],
    });
    expect(smart.tokenFormat).toBe('jwt');
    expect(smart.documentedTokenLifetimeSeconds).toBe(3600);
    expect(smart.knownDeviations).toEqual([]);
    expect(providers.at(-1)).toBe(smart);
  });

  it('has a confidential and a public demo app for the built-in sandbox', () => {
    const [confidential, publicApp] = smart.presets;
    expect(confidential?.clientSecret).not.toBe('');
    expect((confidential?.grant ?? smart.grant).clientAuth).toBe('basic');
    expect(publicApp?.clientSecret).toBe('');
    expect(publicApp?.grant?.clientAuth).toBe('none');
    for (const preset of smart.presets) expect(preset.environments).toEqual(['builtin']);
  });

  it('resolves the built-in environment under the console', () => {
    const env = resolveEnvironment(smart, smart.environments[0]!, 'http://127.0.0.1:3000');
    expect(env.tokenUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/smart/auth/token');
    expect(env.authorizeUrl?.toString()).toBe('http://127.0.0.1:3000/sandbox/smart/auth/authorize');
    expect(env.jwksUrl?.toString()).toBe('http://127.0.0.1:3000/sandbox/smart/.well-known/jwks.json');
    expect(env.fhirBaseUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/smart/fhir');
    for (const request of smart.defaultRequests) expect(request.path.startsWith('/fhir')).toBe(true);
  });

  it('never puts a secret in the DTO', () => {
    const text = JSON.stringify(toProviderDto(smart, true, 'http://127.0.0.1:3000'));
    for (const preset of smart.presets.filter((p) => p.clientSecret)) expect(text).not.toContain(preset.clientSecret);
  });
});
