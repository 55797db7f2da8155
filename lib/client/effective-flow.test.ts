import { describe, expect, it } from 'vitest';
import { examplesFor, getEffectiveEndpoints, getEffectiveGrant, getFlowTarget } from './effective-flow';
import type { GrantDto, ProviderDto } from '@/lib/contract/schemas';

const clientCredentials: GrantDto = {
  grantType: 'client_credentials',
  clientAuth: 'form',
  httpMethod: 'POST',
  body: 'form',
  scopes: ['user/*.rs'],
  codeBinding: { method: 'pkce_s256' },
  stateMinLength: 0,
  refresh: { supported: false, rotates: false },
  documentedTokenLifetimeSeconds: 300,
};
const patientAccess: GrantDto = {
  ...clientCredentials,
  grantType: 'authorization_code',
  scopes: ['user/*.read', 'launch/patient'],
  refresh: { supported: true, rotates: false },
};

const builtin = {
  id: 'builtin',
  kind: 'builtin' as const,
  label: 'Built-in sandbox',
  tokenUrl: 'http://127.0.0.1:3000/sandbox/oneuphealth/auth/realms/dev-portal/protocol/openid-connect/token',
  fhirBaseUrl: 'http://127.0.0.1:3000/sandbox/oneuphealth/v1/bison/bulk-export/bulk-data/r4',
  allowedPathPrefixes: ['/v1/', '/fhir/'],
};

const provider = {
  id: 'oneuphealth',
  grant: clientCredentials,
  environments: [builtin],
  presets: [
    { id: 'provider-access', label: 'Provider Access', environments: ['builtin'], endpoints: {} },
    {
      id: 'patient-access',
      label: 'Patient Access',
      environments: ['builtin'],
      grant: patientAccess,
      endpoints: {
        builtin: {
          tokenUrl: 'http://127.0.0.1:3000/sandbox/oneuphealth/oauth2/token',
          fhirBaseUrl: 'http://127.0.0.1:3000/sandbox/oneuphealth/r4',
          authorizeUrl: 'http://localhost:3000/sandbox/oneuphealth/oauth2/authorize/test',
          allowedPathPrefixes: ['/r4/'],
        },
      },
    },
  ],
  defaultRequests: [
    { id: 'bulk', label: 'Group $export', method: 'GET', path: '/v1/bison/Group/x/$export', headers: {}, description: '' },
    { id: 'member', label: 'My Patient', method: 'GET', path: '/r4/Patient', headers: {}, description: '' },
    { id: 'nowhere', label: 'Elsewhere', method: 'GET', path: '/other/x', headers: {}, description: '' },
  ],
} as unknown as ProviderDto;

describe('getEffectiveGrant', () => {
  it('takes the preset’s own grant over the provider’s', () => {
    expect(getEffectiveGrant(provider, 'patient-access').grantType).toBe('authorization_code');
    expect(getEffectiveGrant(provider, 'provider-access')).toBe(clientCredentials);
  });
  it('uses the provider’s for custom credentials and unknown presets', () => {
    expect(getEffectiveGrant(provider, undefined)).toBe(clientCredentials);
    expect(getEffectiveGrant(provider, 'gone')).toBe(clientCredentials);
  });
});

describe('getEffectiveEndpoints', () => {
  it('uses the preset’s endpoints for the environment', () => {
    expect(getEffectiveEndpoints(provider, builtin, 'patient-access')).toEqual({
      tokenUrl: 'http://127.0.0.1:3000/sandbox/oneuphealth/oauth2/token',
      fhirBaseUrl: 'http://127.0.0.1:3000/sandbox/oneuphealth/r4',
      authorizeUrl: 'http://localhost:3000/sandbox/oneuphealth/oauth2/authorize/test',
      allowedPathPrefixes: ['/r4/'],
      overridden: true,
    });
  });
  it('falls back to the environment’s own', () => {
    expect(getEffectiveEndpoints(provider, builtin, 'provider-access')).toMatchObject({
      tokenUrl: builtin.tokenUrl,
      fhirBaseUrl: builtin.fhirBaseUrl,
      overridden: false,
    });
    expect(getEffectiveEndpoints(provider, { ...builtin, id: 'sandbox' }, 'patient-access').overridden).toBe(false);
  });
});

describe('getFlowTarget', () => {
  it('carries environment, preset and endpoints for the proxy', () => {
    const target = getFlowTarget(provider, builtin, 'patient-access');
    expect(target).toMatchObject({ environmentId: 'builtin', presetId: 'patient-access' });
    expect(target.endpoints.fhirBaseUrl).toBe('http://127.0.0.1:3000/sandbox/oneuphealth/r4');
    expect(getFlowTarget(provider, builtin, undefined)).not.toHaveProperty('presetId');
  });
});

describe('examplesFor', () => {
  it('offers the examples the credential set can send, and names the set that can send each other one', () => {
    const forProvider = examplesFor(provider, builtin, 'provider-access');
    expect(forProvider.usable.map((r) => r.id)).toEqual(['bulk']);
    expect(forProvider.elsewhere.map(({ request, preset }) => [request.id, preset?.id])).toEqual([
      ['member', 'patient-access'],
      ['nowhere', undefined],
    ]);
    const forPatient = examplesFor(provider, builtin, 'patient-access');
    expect(forPatient.usable.map((r) => r.id)).toEqual(['member']);
    expect(forPatient.elsewhere.map(({ request, preset }) => [request.id, preset?.label])).toEqual([
      ['bulk', 'Provider Access'],
      ['nowhere', undefined],
    ]);
  });
});
