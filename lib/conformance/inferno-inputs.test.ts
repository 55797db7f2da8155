import { describe, expect, it } from 'vitest';
import { resolveFlow } from '@/lib/oauth/flow';
import { bcda } from '@/lib/providers/bcda';
import { smart } from '@/lib/providers/smart';
import { infernoPreset } from './inferno-inputs';

/** The Inferno presets "Check this server" offers: the suites' own input names, the server and client, no secret. */

describe('infernoPreset', () => {
  it('SMART STU2.2: the FHIR URL and the standalone launch credentials as an auth_info, without the client secret', () => {
    const flow = resolveFlow(smart, 'builtin', { kind: 'preset', presetId: 'confidential-app' });
    const preset = infernoPreset(flow, 'smart_stu2_2', 'https://console.example/sandbox/smart/fhir');
    expect(preset).toMatchObject({ test_suite_id: 'smart_stu2_2', id: null });
    expect(preset.inputs).toEqual([
      expect.objectContaining({ name: 'url', type: 'text', value: 'https://console.example/sandbox/smart/fhir' }),
      expect.objectContaining({
        name: 'standalone_smart_auth_info',
        type: 'auth_info',
        value: expect.objectContaining({ auth_type: 'symmetric', client_id: flow.credential.clientId, requested_scopes: flow.grant.scopes.join(' '), pkce_support: 'enabled', pkce_code_challenge_method: 'S256' }),
      }),
    ]);
    expect(flow.credential.clientSecret.length).toBeGreaterThan(0);
    expect(JSON.stringify(preset)).not.toContain(flow.credential.clientSecret);
    expect(JSON.stringify(preset)).toContain('Type the client secret into Inferno');
  });

  it('Bulk Data v2.0.0: the bulk base, Backend Services credentials and the group to export; a secret-based client is named as such', () => {
    const flow = resolveFlow(bcda, 'builtin', { kind: 'preset', presetId: 'extra-small' });
    const preset = infernoPreset(flow, 'bulk_data_v200', 'https://console.example/sandbox/bcda/api/v2');
    const byName = Object.fromEntries(preset.inputs.map((i) => [i.name, i]));
    expect(byName.bulk_server_url?.value).toBe('https://console.example/sandbox/bcda/api/v2');
    expect(byName.smart_auth_info?.value).toMatchObject({ auth_type: 'backend_services', client_id: flow.credential.clientId });
    expect(byName.smart_auth_info?.description).toMatch(/client secret \(basic\)/);
    expect(byName.group_id?.value).toBe('all');
    expect(JSON.stringify(preset)).not.toContain(flow.credential.clientSecret);
  });
});
