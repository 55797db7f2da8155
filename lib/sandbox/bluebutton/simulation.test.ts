import { describe, expect, it } from 'vitest';
import { simulating } from '../shared/test-helpers';
import { bearer, codeTokenRequest, createTestSandbox, getTokens, refreshRequest, runAuthorization, send } from './test-helpers';

describe('Blue Button failure simulation', () => {
  it('invalid_client: 401 {"error": "invalid_client"} on the code exchange', async () => {
    const { sandbox } = createTestSandbox();
    const { app, code, verifier } = await runAuthorization(sandbox);
    const response = await send(sandbox, '/v2/o/token/', simulating('invalid_client', codeTokenRequest(app, code, verifier)));
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('{"error": "invalid_client"}');
  });

  it('rate_limit_storm and server_error: DRF 429 with Retry-After, DRF 503', async () => {
    const { sandbox } = createTestSandbox();
    const { app, code, verifier } = await runAuthorization(sandbox);
    const throttled = await send(sandbox, '/v2/o/token/', simulating('rate_limit_storm', codeTokenRequest(app, code, verifier)));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('60');
    expect(((await throttled.json()) as { detail: string }).detail).toMatch(/^Request was throttled/);
    const down = await send(sandbox, '/v2/o/token/', simulating('server_error', codeTokenRequest(app, code, verifier)));
    expect(down.status).toBe(503);
  });

  it('revoked_refresh: a refresh answers invalid_grant; the refresh token still works without it', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    const { app } = await runAuthorization(sandbox);
    const refused = await send(sandbox, '/v2/o/token/', simulating('revoked_refresh', refreshRequest(app, tokens.refresh_token)));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe('{"error": "invalid_grant"}');
    expect((await send(sandbox, '/v2/o/token/', refreshRequest(app, tokens.refresh_token))).status).toBe(200);
  });

  it('expired_token: FHIR answers DRF 401 with the expired-token challenge', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    const response = await send(sandbox, `/v2/fhir/Patient/${tokens.patient}`, simulating('expired_token', bearer(tokens.access_token)));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(response.headers.get('www-authenticate')).toContain('The access token has expired.');
  });

  it('refused_scope: FHIR answers DRF 403 PermissionDenied', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    const response = await send(sandbox, `/v2/fhir/Patient/${tokens.patient}`, simulating('refused_scope', bearer(tokens.access_token)));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: 'You do not have permission to perform this action.' });
  });
});
