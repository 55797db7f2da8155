import { describe, expect, it } from 'vitest';
import { createOneUpHealthSandbox } from './index';
import { simulating } from '../shared/test-helpers';
import { bearer, bulkBase, formHeaders, getKeycloakToken, getPreset, send, tokenPath } from './test-helpers';

const preset = getPreset('provider-access');
const tokenRequest = (failures: string, grant: Record<string, string> = { grant_type: 'client_credentials', scope: 'bulk-data|user/*.rs' }) =>
  simulating(failures, {
    method: 'POST',
    headers: formHeaders,
    body: new URLSearchParams({ ...grant, client_id: preset.clientId, client_secret: preset.clientSecret }).toString(),
  });

describe('1upHealth failure simulation', () => {
  it('invalid_client: Keycloak 401 invalid_client', async () => {
    const response = await send(createOneUpHealthSandbox(), tokenPath, tokenRequest('invalid_client'));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' });
  });

  it('rate_limit_storm and server_error: 429 with Retry-After, 503', async () => {
    const sandbox = createOneUpHealthSandbox();
    const throttled = await send(sandbox, tokenPath, tokenRequest('rate_limit_storm'));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('60');
    expect((await send(sandbox, tokenPath, tokenRequest('server_error'))).status).toBe(503);
  });

  it('revoked_refresh: only a refresh grant answers invalid_grant', async () => {
    const sandbox = createOneUpHealthSandbox();
    expect((await send(sandbox, tokenPath, tokenRequest('revoked_refresh'))).status).toBe(200);
    const refused = await send(sandbox, tokenPath, tokenRequest('revoked_refresh', { grant_type: 'refresh_token', refresh_token: 'r' }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('the Patient Access token endpoint answers its own invalid_client', async () => {
    const response = await send(createOneUpHealthSandbox(), '/oauth2/token', tokenRequest('invalid_client', { grant_type: 'authorization_code', code: 'c' }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client credentials' });
  });

  it('expired_token and refused_scope on the bulk FHIR server, as OperationOutcomes', async () => {
    const sandbox = createOneUpHealthSandbox();
    const token = await getKeycloakToken(sandbox);
    const expired = await send(sandbox, `${bulkBase}/Group`, simulating('expired_token', { headers: bearer(token) }));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: 'Token is expired' }] });
    const refused = await send(sandbox, `${bulkBase}/Group`, simulating('refused_scope', { headers: bearer(token) }));
    expect(refused.status).toBe(403);
  });
});
