import { describe, expect, it } from 'vitest';
import { createCandidSandbox } from './index';
import { simulating } from '../shared/test-helpers';
import { getAccessToken, getPreset, jsonTokenRequest, send } from './test-helpers';

const preset = getPreset('demo-billing');
const tokenRequest = (failures: string) => simulating(failures, jsonTokenRequest(preset.clientId, preset.clientSecret));

describe('Candid failure simulation', () => {
  it('invalid_client: 401 UnauthorizedError', async () => {
    const response = await send(createCandidSandbox(), '/api/auth/v2/token', tokenRequest('invalid_client'));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errorName: 'UnauthorizedError', content: { message: 'Invalid client credentials' } });
  });

  it('rate_limit_storm and server_error: Fern 429 with Retry-After, Fern 503', async () => {
    const sandbox = createCandidSandbox();
    const throttled = await send(sandbox, '/api/auth/v2/token', tokenRequest('rate_limit_storm'));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('60');
    expect(((await throttled.json()) as { errorName: string }).errorName).toBe('TooManyRequestsError');
    const down = await send(sandbox, '/api/auth/v2/token', tokenRequest('server_error'));
    expect(down.status).toBe(503);
    expect(((await down.json()) as { errorName: string }).errorName).toBe('ServiceUnavailableError');
  });

  it('revoked_refresh has no effect (Candid issues no refresh tokens)', async () => {
    expect((await send(createCandidSandbox(), '/api/auth/v2/token', tokenRequest('revoked_refresh'))).status).toBe(200);
  });

  it('expired_token and refused_scope on the API', async () => {
    const sandbox = createCandidSandbox();
    const token = await getAccessToken(sandbox, preset.id);
    const init = { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } };
    const expired = await send(sandbox, '/api/encounters/v4', simulating('expired_token', init));
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { content: { message: string } }).content.message).toMatch(/^The bearer token has expired/);
    const refused = await send(sandbox, '/api/payers/v3', simulating('refused_scope', init));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { errorName: string }).errorName).toBe('UnauthorizedError');
  });
});
