import { describe, expect, it } from 'vitest';
import { createTestSandbox, send, testBase } from './test-helpers';

describe('discovery documents and metadata (no token needed)', () => {
  it('serves the SMART configuration with Blue Button’s keys on the sandbox base', async () => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, '/v2/fhir/.well-known/smart-configuration');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'authorization_endpoint',
      'revocation_endpoint',
      'token_endpoint',
      'grant_types_supported',
      'response_types_supported',
      'scopes_supported',
      'code_challenge_methods_supported',
      'capabilities',
    ]);
    expect(body).toMatchObject({
      authorization_endpoint: `${testBase}/v2/o/authorize`,
      token_endpoint: `${testBase}/v2/o/token/`,
      grant_types_supported: ['authorization_code'],
      response_types_supported: ['code', 'token'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(body.capabilities).toContain('authorize-post');
    expect(body.scopes_supported).toContain('patient/ExplanationOfBenefit.rs');
  });

  it.each(['/v2/connect/.well-known/openid-configuration', '/.well-known/openid-configuration', '/.well-known/openid-configuration-v2'])(
    'serves the OpenID configuration at %s',
    async (path) => {
      const { sandbox } = createTestSandbox();
      const body = (await (await send(sandbox, path)).json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        issuer: testBase,
        userinfo_endpoint: `${testBase}/v2/connect/userinfo`,
        fhir_metadata_uri: `${testBase}/v2/fhir/metadata`,
        ui_locales_supported: ['en-US'],
      });
      expect(body.grant_types_supported).toContain('refresh_token');
    },
  );

  it('serves an R4 CapabilityStatement for Patient, Coverage and ExplanationOfBenefit', async () => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, '/v2/fhir/metadata');
    expect(response.headers.get('content-type')).toBe('application/fhir+json');
    const body = (await response.json()) as { resourceType: string; fhirVersion: string; rest: Array<{ resource: Array<{ type: string }> }> };
    expect(body.resourceType).toBe('CapabilityStatement');
    expect(body.fhirVersion).toMatch(/^4\./);
    expect(body.rest[0]?.resource.map((resource) => resource.type)).toEqual(['Coverage', 'ExplanationOfBenefit', 'Patient']);
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    const { sandbox } = createTestSandbox();
    expect((await send(sandbox, '/v1/nothing')).status).toBe(404);
    expect((await send(sandbox, '/v2/fhir/metadata', { method: 'POST' })).status).toBe(405);
    expect((await send(sandbox, '/v2/o/authorize/', { method: 'DELETE' })).status).toBe(405);
  });
});
