import { describe, expect, it } from 'vitest';
import { simulating } from '../shared/test-helpers';
import { bearer, codeExchange, createTestSandbox, expectOAuthError, getCode, getTokens, refreshRequest, send } from './test-helpers';

describe('HealthSherpa failure simulation', () => {
  it('invalid_client: Doorkeeper 401 invalid_client on the code exchange', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox);
    await expectOAuthError(await send(sandbox, '/oauth/token', simulating('invalid_client', codeExchange(code))), 401, 'invalid_client');
  });

  it('rate_limit_storm and server_error: 429 with Retry-After, 503', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox);
    const throttled = await send(sandbox, '/oauth/token', simulating('rate_limit_storm', codeExchange(code)));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('60');
    expect((await send(sandbox, '/oauth/token', simulating('server_error', codeExchange(code)))).status).toBe(503);
  });

  it('revoked_refresh: a refresh answers Doorkeeper invalid_grant', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    await expectOAuthError(await send(sandbox, '/oauth/token', simulating('revoked_refresh', refreshRequest(tokens.refresh_token))), 400, 'invalid_grant');
    expect((await send(sandbox, '/oauth/token', refreshRequest(tokens.refresh_token))).status).toBe(200);
  });

  it('expired_token and refused_scope on the Partner API, in its envelope', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    const expired = await send(sandbox, '/v2/contacts', simulating('expired_token', { headers: bearer(tokens.access_token) }));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: { message: 'The access token is invalid.', code: 'invalid_token' } });
    const refused = await send(sandbox, '/v2/contacts', simulating('refused_scope', { headers: bearer(tokens.access_token) }));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('insufficient_scope');
  });
});
