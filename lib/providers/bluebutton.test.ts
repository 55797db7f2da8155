import { describe, expect, it } from 'vitest';
import { bluebutton } from './bluebutton';
import { toProviderDto } from './dto';
import { resolveEnvironment } from './resolve';
import { providerSchema } from './schema';

describe('the Blue Button provider file', () => {
  it('is a valid provider: authorization code, PKCE S256, state ≥ 16, Basic auth, rotating refresh, opaque tokens', () => {
    expect(providerSchema.safeParse(bluebutton).success).toBe(true);
    expect(bluebutton.grant).toMatchObject({
      grantType: 'authorization_code',
      clientAuth: 'basic',
      httpMethod: 'POST',
      body: 'form',
      extraParams: {},
      pkce: 'S256',
      stateMinLength: 16,
      refresh: { supported: true, rotates: true },
    });
    expect(bluebutton.tokenFormat).toBe('opaque');
    expect(bluebutton.documentedTokenLifetimeSeconds).toBe(3600);
  });

  it('has a demographic and a non-demographic demo app for the built-in sandbox only', () => {
    const [on, off] = bluebutton.presets;
    expect(bluebutton.presets.map((preset) => preset.id)).toEqual(['demo-demographic', 'demo-no-demographic']);
    expect(on?.grant).toBeUndefined();
    expect(bluebutton.grant.scopes).toEqual(['openid', 'profile', 'patient/Patient.rs', 'patient/ExplanationOfBenefit.rs', 'patient/Coverage.rs']);
    expect(off?.grant?.scopes).toEqual(['openid', 'patient/ExplanationOfBenefit.rs', 'patient/Coverage.rs']);
    expect({ ...off?.grant, scopes: [] }).toEqual({ ...bluebutton.grant, scopes: [] });
    for (const preset of bluebutton.presets) {
      expect(preset.environments).toEqual(['builtin']);
      expect(preset.clientId).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(preset.clientSecret).toMatch(/^[A-Za-z0-9]{128}$/);
      expect(preset.sandboxUsers[0]).toEqual({ username: 'BBUser00000', password: 'PW00000!', note: 'Patient -20140000000001' });
    }
    expect(new Set(bluebutton.presets.map((preset) => preset.clientId)).size).toBe(2);
    expect(bluebutton.allowCustomCredentials).toBe(true);
  });

  it('resolves the built-in sandbox under the console and the real hosts as documented', () => {
    const [builtin, sandbox, production] = bluebutton.environments.map((e) => resolveEnvironment(bluebutton, e, 'http://127.0.0.1:3000'));
    expect(builtin?.tokenUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/bluebutton/v2/o/token/');
    expect(builtin?.authorizeUrl?.toString()).toBe('http://127.0.0.1:3000/sandbox/bluebutton/v2/o/authorize/');
    expect(builtin?.fhirBaseUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/bluebutton/v2/fhir');
    expect(sandbox?.tokenUrl.toString()).toBe('https://sandbox.bluebutton.cms.gov/v2/o/token/');
    expect(sandbox?.authorizeUrl?.toString()).toBe('https://sandbox.bluebutton.cms.gov/v2/o/authorize/');
    expect(production?.fhirBaseUrl.toString()).toBe('https://api.bluebutton.cms.gov/v2/fhir');
    for (const environment of bluebutton.environments) expect(environment.allowedPathPrefixes).toEqual(['/v2/fhir/', '/v2/connect/']);
  });

  it('keeps every default request inside the allowlisted prefixes and without a trailing slash', () => {
    expect(bluebutton.defaultRequests.map((request) => request.path)).toEqual([
      '/v2/fhir/Patient',
      '/v2/fhir/ExplanationOfBenefit?_count=10',
      '/v2/fhir/ExplanationOfBenefit?type=pde&_count=5',
      '/v2/fhir/Coverage',
      '/v2/connect/userinfo',
      '/v2/fhir/metadata',
      '/v2/fhir/.well-known/smart-configuration',
      '/v2/connect/.well-known/openid-configuration',
    ]);
    for (const request of bluebutton.defaultRequests) {
      expect(['/v2/fhir/', '/v2/connect/'].some((prefix) => request.path.startsWith(prefix))).toBe(true);
      expect(request.path.split('?')[0]).not.toMatch(/\/$/);
    }
  });

  it('documents its deviations', () => {
    expect(bluebutton.knownDeviations.map((deviation) => deviation.code)).toEqual(
      expect.arrayContaining(['opaque_token', 'access_grant_expiration', 'patient_field', 'expires_in_float', 'refresh_token_single_use']),
    );
  });

  it('never puts a secret in the DTO', () => {
    const text = JSON.stringify(toProviderDto(bluebutton, true, 'http://127.0.0.1:3000'));
    for (const preset of bluebutton.presets) expect(text).not.toContain(preset.clientSecret);
  });
});
