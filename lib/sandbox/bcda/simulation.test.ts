import { describe, expect, it } from 'vitest';
import { createBcdaSandbox } from './index';
import { basicAuthorization, simulating } from '../shared/test-helpers';
import { bulkHeaders, getAccessToken, getPreset, send } from './test-helpers';

const preset = getPreset('extra-small');
const tokenRequest = (failures: string) =>
  simulating(failures, { method: 'POST', headers: { Authorization: basicAuthorization(preset.clientId, preset.clientSecret), Accept: 'application/json' } });

describe('BCDA failure simulation', () => {
  it('invalid_client: 401 Unauthorized as text, as SSAS answers wrong credentials', async () => {
    const response = await send(createBcdaSandbox(), '/auth/token', tokenRequest('invalid_client'));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('Unauthorized\n');
  });

  it('rate_limit_storm: 429 naming the ACO, with Retry-After', async () => {
    const response = await send(createBcdaSandbox(), '/auth/token', tokenRequest('rate_limit_storm'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('300');
    expect(await response.text()).toContain('exceeded the rate limit for /auth/token');
  });

  it('server_error: 503 Service Unavailable with Retry-After: 1', async () => {
    const response = await send(createBcdaSandbox(), '/auth/token', tokenRequest('server_error'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.text()).toBe('Service Unavailable\n');
  });

  it('revoked_refresh and the API-side failures leave the token endpoint alone', async () => {
    const response = await send(createBcdaSandbox(), '/auth/token', tokenRequest('revoked_refresh,expired_token,refused_scope'));
    expect(response.status).toBe(200);
  });

  it('expired_token: the API answers 401 "Expired Token" for a valid token', async () => {
    const sandbox = createBcdaSandbox();
    const token = await getAccessToken(sandbox, 'extra-small');
    const response = await send(sandbox, '/api/v2/Patient/$export', simulating('expired_token', { headers: bulkHeaders(token) }));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/fhir+json');
    const body = (await response.json()) as { issue: Array<{ code: string; diagnostics: string }> };
    expect(body.issue[0]).toMatchObject({ code: 'forbidden', diagnostics: 'Expired Token' });
  });

  it('refused_scope: the API answers 403 OperationOutcome forbidden', async () => {
    const sandbox = createBcdaSandbox();
    const token = await getAccessToken(sandbox, 'extra-small');
    const response = await send(sandbox, '/api/v2/Patient/$export', simulating('refused_scope', { headers: bulkHeaders(token) }));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { issue: Array<{ code: string }> }).issue[0]?.code).toBe('forbidden');
  });

  it.each([
    ['api_rate_limit', 429, 'throttled'],
    ['api_server_error', 503, 'transient'],
  ])('%s: bearer routes, job status polls included, answer %i with Retry-After and an OperationOutcome', async (failure, status, code) => {
    const sandbox = createBcdaSandbox({ jobDurationMs: () => 60_000 });
    const token = await getAccessToken(sandbox, 'extra-small');
    const kickoff = await send(sandbox, '/api/v2/Patient/$export', { headers: bulkHeaders(token) });
    const jobPath = new URL(kickoff.headers.get('content-location')!).pathname.replace('/sandbox/bcda', '');
    const poll = await send(sandbox, jobPath, simulating(failure, { headers: bulkHeaders(token) }));
    expect(poll.status).toBe(status);
    expect(poll.headers.get('retry-after')).toBe('2');
    expect(((await poll.json()) as { issue: Array<{ code: string }> }).issue[0]?.code).toBe(code);
    // Off again, the same poll is the job's status.
    expect((await send(sandbox, jobPath, { headers: bulkHeaders(token) })).status).toBe(202);
    // The token endpoint is not an API route.
    expect((await send(sandbox, '/auth/token', tokenRequest(failure))).status).toBe(200);
  });

  it('a missing token is still refused as invalid, and open endpoints stay open', async () => {
    const sandbox = createBcdaSandbox();
    const missing = await send(sandbox, '/api/v2/Patient/$export', simulating('expired_token'));
    expect(((await missing.json()) as { issue: Array<{ diagnostics: string }> }).issue[0]?.diagnostics).toBe('Invalid Token');
    expect((await send(sandbox, '/api/v2/metadata', simulating('expired_token'))).status).toBe(200);
  });
});
