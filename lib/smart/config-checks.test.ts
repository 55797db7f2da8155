import { describe, expect, it } from 'vitest';
import type { IntendedConfiguration } from '@/lib/contract/smart';
import { classifyScope } from '@/lib/contract/smart';
import { CONFIG_FINDING_CODES, checkConfiguration, type ConfigFindingCode, type ServerFacts } from './config-checks';

const full: ServerFacts = {
  issuer: 'https://auth.example.org',
  authorization_endpoint: 'https://auth.example.org/authorize',
  token_endpoint: 'https://auth.example.org/token',
  jwks_uri: 'https://auth.example.org/jwks',
  grant_types_supported: ['authorization_code', 'client_credentials'],
  token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
  token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
  code_challenge_methods_supported: ['S256'],
  response_types_supported: ['code'],
  scopes_supported: ['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access', 'patient/*.rs', 'system/*.rs'],
  capabilities: ['launch-standalone', 'launch-ehr', 'client-confidential-asymmetric', 'context-standalone-patient', 'permission-v2', 'permission-offline', 'sso-openid-connect'],
};
const authCode: IntendedConfiguration = {
  grant: 'authorization_code', clientAuth: 'private_key_jwt', pkce: 'S256', assertionAlg: 'RS384',
  scopes: ['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/*.rs'], redirectUri: 'https://console.example/api/oauth/custom/callback', launch: 'standalone',
};
const backend: IntendedConfiguration = { grant: 'client_credentials', clientAuth: 'private_key_jwt', pkce: 'none', assertionAlg: 'ES384', scopes: ['system/*.rs'], launch: 'standalone' };
const without = (s: ServerFacts, ...keys: (keyof ServerFacts)[]): ServerFacts => {
  const c = { ...s };
  for (const k of keys) delete c[k];
  return c;
};

// Each row: the server, the configuration, the code that must appear.
const cases: [ConfigFindingCode, ServerFacts, IntendedConfiguration][] = [
  ['grant_not_supported', { ...full, grant_types_supported: ['authorization_code'] }, backend],
  ['authorization_endpoint_missing', without(full, 'authorization_endpoint'), authCode],
  ['token_endpoint_missing', without(full, 'token_endpoint'), backend],
  ['token_endpoint_insecure', { ...full, token_endpoint: 'http://auth.example.org/token' }, backend],
  ['client_auth_not_supported', { ...full, token_endpoint_auth_methods_supported: ['client_secret_basic'] }, backend],
  ['client_auth_unadvertised', without(full, 'token_endpoint_auth_methods_supported'), backend],
  ['public_client_backend', full, { ...backend, clientAuth: 'none' }],
  ['backend_not_asymmetric', full, { ...backend, clientAuth: 'client_secret_post' }],
  ['assertion_alg_missing', full, { ...backend, assertionAlg: undefined }],
  ['signing_alg_not_supported', { ...full, token_endpoint_auth_signing_alg_values_supported: ['RS256'] }, backend],
  ['signing_alg_unadvertised', without(full, 'token_endpoint_auth_signing_alg_values_supported'), backend],
  ['jwks_uri_missing', without(full, 'jwks_uri'), backend],
  ['backend_capability_missing', { ...full, capabilities: ['permission-v2'] }, backend],
  ['pkce_s256_not_supported', { ...full, code_challenge_methods_supported: ['plain'] }, authCode],
  ['pkce_unadvertised', without(full, 'code_challenge_methods_supported'), authCode],
  ['pkce_plain', full, { ...authCode, pkce: 'plain' }],
  ['pkce_disabled', full, { ...authCode, pkce: 'none' }],
  ['response_type_code_unsupported', { ...full, response_types_supported: ['token'] }, authCode],
  ['redirect_uri_missing', full, { ...authCode, redirectUri: undefined }],
  ['redirect_uri_invalid', full, { ...authCode, redirectUri: 'http://console.example/callback' }],
  ['launch_mode_unsupported', { ...full, capabilities: ['launch-ehr', 'permission-v2'] }, authCode],
  ['launch_scope_missing', full, { ...authCode, launch: 'ehr' }],
  ['launch_patient_unsupported', { ...full, capabilities: ['launch-standalone', 'permission-v2'] }, authCode],
  ['offline_access_unsupported', { ...full, capabilities: ['launch-standalone', 'context-standalone-patient', 'permission-v2', 'sso-openid-connect'] }, authCode],
  ['openid_unsupported', { ...full, capabilities: ['launch-standalone', 'context-standalone-patient', 'permission-v2', 'permission-offline'] }, authCode],
  ['scope_malformed', full, { ...authCode, scopes: ['patient/Observation.rw'] }],
  ['scope_v1_on_v2_server', full, { ...authCode, scopes: ['patient/*.read'] }],
  ['scope_v2_on_v1_server', { ...full, capabilities: ['launch-standalone', 'permission-v1'] }, { ...authCode, scopes: ['patient/Observation.rs'] }],
  ['scope_versions_mixed', without(full, 'capabilities'), { ...authCode, scopes: ['patient/Observation.read', 'patient/Patient.rs'] }],
  ['scope_not_listed', full, { ...authCode, scopes: ['patient/Observation.rs'] }],
  ['backend_user_scopes', full, { ...backend, scopes: ['patient/*.rs', 'user/Observation.rs'] }],
  ['scopes_empty', full, { ...backend, scopes: [] }],
  ['dpop_offered', { ...full, dpop_signing_alg_values_supported: ['ES256'] }, backend],
  ['dpop_unadvertised', full, { ...backend, dpop: true }],
  ['dpop_alg_unsupported', { ...full, dpop_signing_alg_values_supported: ['HS256', 'ES512'] }, { ...backend, dpop: true }],
  ['par_offered', { ...full, pushed_authorization_request_endpoint: 'https://auth.example.org/par' }, authCode],
  ['par_required_but_off', { ...full, pushed_authorization_request_endpoint: 'https://auth.example.org/par', require_pushed_authorization_requests: true }, { ...authCode, par: 'never' }],
  ['par_required_without_endpoint', { ...full, require_pushed_authorization_requests: true }, authCode],
];

describe('checkConfiguration', () => {
  it.each(cases)('%s', (code, server, config) => {
    const findings = checkConfiguration(server, config);
    const hit = findings.find((f) => f.code === code);
    expect(hit, JSON.stringify(findings.map((f) => f.code))).toBeDefined();
    expect(hit?.message.length).toBeGreaterThan(20);
    expect(hit?.fix.length).toBeGreaterThan(5);
  });

  it('every finding code has a triggering case', () => {
    expect(new Set(cases.map(([c]) => c))).toEqual(new Set(CONFIG_FINDING_CODES));
  });

  it('clean configurations produce no findings', () => {
    expect(checkConfiguration(full, authCode)).toEqual([]);
    expect(checkConfiguration(full, backend)).toEqual([]);
    expect(checkConfiguration({ ...full, dpop_signing_alg_values_supported: ['ES256', 'RS256'] }, { ...backend, dpop: true })).toEqual([]);
    // Pushing is the default, and a backend client has no authorization request to push.
    expect(checkConfiguration({ ...full, pushed_authorization_request_endpoint: 'https://auth.example.org/par' }, backend)).toEqual([]);
  });

  it('severities of the failures that are certain are error', () => {
    const sev = (s: ServerFacts, c: IntendedConfiguration, code: ConfigFindingCode) => checkConfiguration(s, c).find((f) => f.code === code)?.severity;
    expect(sev({ ...full, token_endpoint_auth_methods_supported: ['client_secret_basic'] }, backend, 'client_auth_not_supported')).toBe('error');
    expect(sev(full, { ...authCode, pkce: 'none', clientAuth: 'none' }, 'pkce_disabled')).toBe('error');
    expect(sev(full, { ...authCode, pkce: 'none' }, 'pkce_disabled')).toBe('warning');
    expect(sev({ ...full, capabilities: ['launch-standalone'] }, { ...authCode, scopes: ['patient/*.rs'] }, 'scope_v2_on_v1_server')).toBe('warning');
  });

  it('fixes rewrite scopes between grammars and contexts', () => {
    const f1 = checkConfiguration(full, { ...authCode, scopes: ['patient/*.read', 'patient/Observation.write', 'user/*.*'] }).find((f) => f.code === 'scope_v1_on_v2_server');
    expect(f1?.fix).toContain('patient/*.rs patient/Observation.cud user/*.cruds');
    const f2 = checkConfiguration({ ...full, capabilities: ['launch-standalone', 'permission-v1'] }, { ...authCode, scopes: ['patient/Observation.rs', 'patient/Observation.cruds'] }).find((f) => f.code === 'scope_v2_on_v1_server');
    expect(f2?.fix).toContain('patient/Observation.read patient/Observation.*');
    const f3 = checkConfiguration(full, { ...backend, scopes: ['patient/*.rs'] }).find((f) => f.code === 'backend_user_scopes');
    expect(f3?.fix).toContain('system/*.rs');
  });
});

describe('classifyScope', () => {
  it.each([
    ['patient/*.read', 'v1'], ['user/Observation.write', 'v1'], ['system/*.*', 'v1'],
    ['patient/*.rs', 'v2'], ['patient/Observation.cruds', 'v2'], ['patient/Observation.rs?category=laboratory', 'v2'], ['system/Patient.r', 'v2'],
    ['patient/Observation.sr', 'malformed'], ['patient/Observation.rw', 'malformed'], ['patient/Observation.', 'malformed'], ['patient/observation.rs', 'malformed'],
    ['patient/Observation', 'malformed'], ['patient/*.readwrite', 'malformed'], ['has space', 'malformed'],
    ['openid', 'other'], ['launch/patient', 'other'], ['offline_access', 'other'],
  ])('%s → %s', (scope, kind) => expect(classifyScope(scope)).toBe(kind));
});
