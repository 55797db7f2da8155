import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { generateClientKey } from '@/lib/smart/client-keys';
import { customProviderToProvider } from '@/lib/smart/custom-provider';
import { prepareTokenRequest } from './client-authentication';
import type { ResolvedFlow } from './flow';

async function backendFlow(withKey = true): Promise<ResolvedFlow> {
  const provider = customProviderToProvider({
    id: 'custom-abcdefghij',
    name: 'Backend',
    discoveryUrl: 'https://ehr.example/fhir',
    fhirBaseUrl: 'https://ehr.example/fhir',
    environmentKind: 'sandbox',
    clientId: 'svc',
    clientSecret: '',
    keyKid: 'k',
    config: { grant: 'client_credentials', clientAuth: 'private_key_jwt', pkce: 'none', scopes: ['system/*.rs'], launch: 'standalone' },
    server: { token_endpoint: 'https://ehr.example/oauth2/token', smart_versions: [], sources: {} },
    findings: [],
    createdAt: '',
    updatedAt: '',
  });
  return {
    provider,
    env: resolveEnvironment(provider, provider.environments[0]!),
    grant: provider.grant,
    credential: { kind: 'preset', presetId: 'saved', label: 'Backend client', clientId: 'svc', clientSecret: '', clientKey: withKey ? await generateClientKey('ES384') : undefined },
  };
}

describe('prepareTokenRequest', () => {
  it('mints a fresh assertion per request: aud = token URL, iss = sub = client id, exp ≤ 5 min, the key’s kid', async () => {
    const flow = await backendFlow();
    const [a, b] = [await prepareTokenRequest(flow), await prepareTokenRequest(flow)];
    const sent = new URLSearchParams(a.request.body);
    const assertion = sent.get('client_assertion') ?? '';
    expect(sent.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(sent.get('scope')).toBe('system/*.rs');
    expect(sent.has('client_id')).toBe(false);
    const claims = decodeJwt(assertion);
    expect(claims).toMatchObject({ iss: 'svc', sub: 'svc', aud: 'https://ehr.example/oauth2/token' });
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(300);
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'ES384', kid: flow.credential.clientKey?.kid, typ: 'JWT' });
    expect(a.clientAssertion?.claims).toEqual(claims);
    expect(b.clientAssertion?.claims.jti).not.toBe(claims.jti);
    expect(a.secrets).toEqual([assertion]);
  });

  it('refuses with a clear 409 when the key is gone from the workspace', async () => {
    await expect(prepareTokenRequest(await backendFlow(false))).rejects.toMatchObject({ status: 409, code: 'conflict' });
  });
});
