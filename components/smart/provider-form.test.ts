import { describe, expect, it } from 'vitest';
import type { ClientKeyDto, CustomProviderDto, DiscoveredServerDto } from '@/lib/contract/smart';
import { checkConfiguration } from '@/lib/smart/config-checks';
import {
  builtinSmartSandboxUrl,
  changeGrant,
  chooseClientAuth,
  chooseGrant,
  chooseKey,
  countFindings,
  defaultProviderName,
  formFindings,
  defaultScopes,
  formFromSaved,
  initialFormState,
  parseScopes,
  serverChangeOf,
  shortenKid,
  sortFindings,
  toCustomProviderInput,
  toIntendedConfiguration,
  toServerFacts,
} from './provider-form';

const smartV2: DiscoveredServerDto = {
  issuer: 'https://ehr.example/fhir',
  authorization_endpoint: 'https://ehr.example/auth',
  token_endpoint: 'https://ehr.example/token',
  jwks_uri: 'https://ehr.example/jwks',
  grant_types_supported: ['authorization_code', 'client_credentials'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
  token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
  code_challenge_methods_supported: ['S256'],
  capabilities: ['launch-standalone', 'context-standalone-patient', 'permission-offline', 'permission-v2', 'sso-openid-connect', 'client-confidential-asymmetric'],
  smart_versions: ['v2'],
  sources: { token_endpoint: ['smart-configuration'] },
};

const key = (kid: string, alg: ClientKeyDto['alg'], createdAt: string): ClientKeyDto => ({
  kid,
  alg,
  createdAt,
  source: 'generated',
  publicJwk: { kty: alg === 'ES384' ? 'EC' : 'RSA', kid },
  usedBy: [],
});

describe('defaults from discovered metadata', () => {
  it('names the provider after the host', () => {
    expect(defaultProviderName('https://www.ehr.example/fhir/R4')).toBe('ehr.example');
    // A built-in sandbox is already in the picker under its provider's name: the default says whose client this is.
    expect(defaultProviderName('http://localhost:3103/sandbox/smart/fhir')).toBe('Your client at the built-in smart sandbox');
    expect(defaultProviderName('http://localhost:3103/other/smart/fhir')).toBe('localhost:3103');
    expect(defaultProviderName('not a url')).toBe('Custom provider');
  });

  it('builds the built-in SMART sandbox URL on the origin', () => {
    expect(builtinSmartSandboxUrl('http://localhost:3103/')).toBe('http://localhost:3103/sandbox/smart/fhir');
  });

  it('picks Backend Services only when the server runs nothing else', () => {
    expect(chooseGrant(smartV2)).toBe('authorization_code');
    expect(chooseGrant({ ...smartV2, grant_types_supported: ['client_credentials'] })).toBe('client_credentials');
    expect(chooseGrant({ ...smartV2, grant_types_supported: undefined })).toBe('authorization_code');
  });

  it('chooses private_key_jwt for backend services, the advertised secret method for apps', () => {
    expect(chooseClientAuth(smartV2, 'client_credentials')).toBe('private_key_jwt');
    expect(chooseClientAuth({}, 'client_credentials')).toBe('private_key_jwt');
    expect(chooseClientAuth({ token_endpoint_auth_methods_supported: ['client_secret_post'] }, 'client_credentials')).toBe('client_secret_post');
    expect(chooseClientAuth(smartV2, 'authorization_code')).toBe('client_secret_basic');
    expect(chooseClientAuth({ token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_post'] }, 'authorization_code')).toBe('client_secret_post');
    expect(chooseClientAuth({ token_endpoint_auth_methods_supported: ['none'] }, 'authorization_code')).toBe('none');
    // RFC 8414 §2: no list means client_secret_basic.
    expect(chooseClientAuth({}, 'authorization_code')).toBe('client_secret_basic');
  });

  it('prefills v2 scopes, v1 when the server only says permission-v1', () => {
    expect(defaultScopes(smartV2, 'client_credentials')).toEqual(['system/*.rs']);
    expect(defaultScopes(smartV2, 'authorization_code')).toEqual(['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/*.rs']);
    const v1 = { smart_versions: ['v1' as const], capabilities: ['permission-v1', 'launch-standalone'] };
    expect(defaultScopes(v1, 'client_credentials')).toEqual(['system/*.read']);
    expect(defaultScopes(v1, 'authorization_code')).toEqual(['patient/*.read']);
    // No capabilities at all: nothing is known to be missing.
    expect(defaultScopes({ smart_versions: [] }, 'authorization_code')).toHaveLength(5);
  });

  it('default scopes pass the live checks on a matching server', () => {
    for (const grant of ['authorization_code', 'client_credentials'] as const) {
      const state = changeGrant(initialFormState('https://ehr.example/fhir', smartV2, [key('k1', 'ES384', '2025-01-01')]), grant, smartV2);
      const config = toIntendedConfiguration(state, [key('k1', 'ES384', '2025-01-01')], 'https://console.example/api/oauth/custom-abcdefghij/callback');
      const errors = checkConfiguration(toServerFacts(smartV2), config).filter((f) => f.severity === 'error');
      expect(errors).toEqual([]);
    }
  });

  it('picks the newest key the server accepts', () => {
    const keys = [key('old-es', 'ES384', '2025-01-01T00:00:00Z'), key('new-rs', 'RS384', '2025-02-01T00:00:00Z')];
    expect(chooseKey(keys, smartV2)).toBe('new-rs');
    expect(chooseKey(keys, { token_endpoint_auth_signing_alg_values_supported: ['ES384'] })).toBe('old-es');
    expect(chooseKey(keys, { token_endpoint_auth_signing_alg_values_supported: ['PS256'] })).toBe('new-rs');
    expect(chooseKey([], smartV2)).toBe('');
  });
});

describe('form state', () => {
  it('parses scopes on any whitespace, once each', () => {
    expect(parseScopes('  openid\nfhirUser  openid\tpatient/*.rs ')).toEqual(['openid', 'fhirUser', 'patient/*.rs']);
    expect(parseScopes('   ')).toEqual([]);
  });

  it('switching the grant moves defaults but keeps typed scopes', () => {
    const start = initialFormState('https://ehr.example/fhir', smartV2, []);
    const backend = changeGrant(start, 'client_credentials', smartV2);
    expect(backend).toMatchObject({ clientAuth: 'private_key_jwt', pkce: 'none', scopes: 'system/*.rs' });
    const typed = changeGrant({ ...backend, scopes: 'system/Patient.rs' }, 'authorization_code', smartV2);
    expect(typed).toMatchObject({ clientAuth: 'client_secret_basic', pkce: 'S256', scopes: 'system/Patient.rs' });
  });

  it('the assertion alg follows the chosen key, only for private_key_jwt', () => {
    const keys = [key('k-es', 'ES384', '2025-01-01'), key('k-rs', 'RS384', '2025-01-02')];
    const state = { ...initialFormState('https://ehr.example/fhir', smartV2, keys), grant: 'client_credentials' as const, clientAuth: 'private_key_jwt' as const, keyKid: 'k-es' };
    expect(toIntendedConfiguration(state, keys, undefined).assertionAlg).toBe('ES384');
    expect(toIntendedConfiguration({ ...state, keyKid: 'k-rs' }, keys, undefined).assertionAlg).toBe('RS384');
    expect(toIntendedConfiguration({ ...state, clientAuth: 'client_secret_basic' }, keys, undefined).assertionAlg).toBeUndefined();
    expect(toIntendedConfiguration({ ...state, keyKid: 'gone' }, keys, undefined).assertionAlg).toBeUndefined();
  });

  it('maps the form to the save body without a secret, a key only for private_key_jwt', () => {
    const keys = [key('k-es', 'ES384', '2025-01-01')];
    const state = { ...initialFormState('https://ehr.example/fhir', smartV2, keys), clientId: '  my-client ', name: ' EHR ' };
    const input = toCustomProviderInput(state, 'https://ehr.example/fhir', keys, 'https://c.example/api/oauth/custom-abcdefghij/callback');
    expect(input).toEqual({
      name: 'EHR',
      discoveryUrl: 'https://ehr.example/fhir',
      environmentKind: 'sandbox',
      clientId: 'my-client',
      config: {
        grant: 'authorization_code',
        clientAuth: 'client_secret_basic',
        pkce: 'S256',
        scopes: ['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/*.rs'],
        redirectUri: 'https://c.example/api/oauth/custom-abcdefghij/callback',
        launch: 'standalone',
      },
    });
    expect('clientSecret' in input).toBe(false);
    const backend = toCustomProviderInput(
      { ...changeGrant(state, 'client_credentials', smartV2), fhirBaseUrl: ' https://ehr.example/fhir/R4 ' },
      'https://ehr.example',
      keys,
      undefined,
    );
    expect(backend).toMatchObject({ keyKid: 'k-es', fhirBaseUrl: 'https://ehr.example/fhir/R4', config: { assertionAlg: 'ES384', pkce: 'none' } });
    expect(backend.config.redirectUri).toBeUndefined();
  });

  it('round-trips a saved provider into the form', () => {
    const saved: CustomProviderDto = {
      id: 'custom-abcdefghij',
      name: 'EHR',
      discoveryUrl: 'https://ehr.example/fhir',
      fhirBaseUrl: 'https://ehr.example/fhir',
      environmentKind: 'production',
      clientId: 'c1',
      hasClientSecret: false,
      keyKid: 'k-es',
      config: { grant: 'client_credentials', clientAuth: 'private_key_jwt', pkce: 'none', assertionAlg: 'ES384', scopes: ['system/*.rs'], launch: 'standalone' },
      server: smartV2,
      findings: [],
      redirectUri: 'https://c.example/api/oauth/custom-abcdefghij/callback',
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
    };
    const state = formFromSaved(saved);
    expect(state).toMatchObject({ name: 'EHR', environmentKind: 'production', keyKid: 'k-es', fhirBaseUrl: '', scopes: 'system/*.rs' });
    expect(toCustomProviderInput(state, saved.discoveryUrl, [key('k-es', 'ES384', '2025')], saved.redirectUri).config).toEqual(saved.config);
  });
});

describe('a change of server (SECURITY.md rule 15)', () => {
  const saved = { discoveryUrl: 'https://ehr.example/fhir', fhirBaseUrl: 'https://ehr.example/fhir', environmentKind: 'sandbox' as const, server: smartV2 };
  const page = 'http://localhost:3000';

  it('sees no change while every origin stays, whatever the paths', () => {
    expect(serverChangeOf(saved, { discoveryUrl: saved.discoveryUrl, fhirBaseUrl: '', server: smartV2 }, page)).toEqual([]);
    expect(serverChangeOf(saved, { discoveryUrl: saved.discoveryUrl, fhirBaseUrl: 'https://ehr.example/other/R4', server: { token_endpoint: 'https://ehr.example/oauth2/token' } }, page)).toEqual([]);
  });

  it('names the FHIR base and a moved token endpoint, each with its old and new origin', () => {
    expect(serverChangeOf(saved, { discoveryUrl: saved.discoveryUrl, fhirBaseUrl: 'https://evil.example/fhir', server: smartV2 }, page)).toEqual([
      { role: 'fhir', was: 'https://ehr.example', now: 'https://evil.example' },
    ]);
    expect(serverChangeOf(saved, { discoveryUrl: saved.discoveryUrl, fhirBaseUrl: '', server: { token_endpoint: 'https://evil.example/token' } }, page)).toEqual([
      { role: 'token', was: 'https://ehr.example', now: 'https://evil.example' },
    ]);
  });

  it('counts a built-in sandbox on the page’s origin as the loopback origin the server calls it on', () => {
    const builtin = {
      discoveryUrl: 'http://localhost:3000/sandbox/smart/fhir',
      fhirBaseUrl: 'http://127.0.0.1:3000/sandbox/smart/fhir',
      environmentKind: 'builtin' as const,
      server: { ...smartV2, token_endpoint: 'http://127.0.0.1:3000/sandbox/smart/auth/token' },
    };
    expect(serverChangeOf(builtin, { discoveryUrl: builtin.discoveryUrl, fhirBaseUrl: '', server: builtin.server }, page)).toEqual([]);
    expect(serverChangeOf(builtin, { discoveryUrl: builtin.discoveryUrl, fhirBaseUrl: 'http://127.0.0.1:9/fhir', server: builtin.server }, page)).toEqual([
      { role: 'fhir', was: 'http://127.0.0.1:3000', now: 'http://127.0.0.1:9' },
    ]);
  });
});

describe('findings and keys', () => {
  it('sorts errors first and counts by severity', () => {
    const findings = [{ severity: 'info' as const }, { severity: 'error' as const }, { severity: 'warning' as const }, { severity: 'error' as const }];
    expect(sortFindings(findings).map((f) => f.severity)).toEqual(['error', 'error', 'warning', 'info']);
    expect(countFindings(findings)).toEqual({ error: 2, warning: 1, info: 1 });
  });

  it('shortens long kids', () => {
    expect(shortenKid('short')).toBe('short');
    expect(shortenKid('abcdefghijklmnopqrstuvwxyz')).toBe('abcdefgh…wxyz');
  });
});

describe('formFindings', () => {
  it('marks a missing client ID at its field before Save, with the fix the server allows', () => {
    expect(formFindings({ clientId: '  ' }, true)).toEqual([expect.objectContaining({ severity: 'error', field: 'clientId', fix: expect.stringContaining('Register at this server') })]);
    expect(formFindings({ clientId: '' }, false)[0]?.fix).not.toContain('Register');
    expect(formFindings({ clientId: 'abc' }, true)).toEqual([]);
  });
});
