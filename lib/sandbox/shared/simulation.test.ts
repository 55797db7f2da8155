import { describe, expect, it, vi } from 'vitest';
import { readSimulatedFailures, simulatedApiFailure, waitUnlessAborted, withTokenSimulation, type TokenFailureResponses } from './simulation';

const request = (header?: string, init: RequestInit = {}) =>
  new Request('http://localhost/token', { ...init, headers: { ...(header === undefined ? {} : { 'X-Console-Simulate': header }), ...(init.headers as Record<string, string>) } });

const responses: TokenFailureResponses = {
  invalidClient: () => new Response('invalid_client', { status: 401 }),
  rateLimited: () => new Response('429', { status: 429 }),
  serverError: () => new Response('503', { status: 503 }),
  revokedRefresh: () => new Response('invalid_grant', { status: 400 }),
};
const ok = () => new Response('ok');

describe('readSimulatedFailures', () => {
  it('reads a comma list, trimmed and case-insensitive, ignoring unknown values', () => {
    expect([...readSimulatedFailures(request(' invalid_client ,EXPIRED_TOKEN,drop_tables,,slow_token'))]).toEqual([
      'invalid_client',
      'expired_token',
      'slow_token',
    ]);
  });

  it('is empty without the header', () => {
    expect(readSimulatedFailures(request()).size).toBe(0);
    expect(readSimulatedFailures(request('')).size).toBe(0);
  });
});

describe('withTokenSimulation', () => {
  it('answers normally without failures', async () => {
    expect(await (await withTokenSimulation(request(), responses, ok)).text()).toBe('ok');
    expect(await (await withTokenSimulation(request('expired_token,refused_scope'), responses, ok)).text()).toBe('ok');
  });

  it('checks 5xx, then 429, then invalid client', async () => {
    expect((await withTokenSimulation(request('invalid_client,rate_limit_storm,server_error'), responses, ok)).status).toBe(503);
    expect((await withTokenSimulation(request('invalid_client,rate_limit_storm'), responses, ok)).status).toBe(429);
    expect((await withTokenSimulation(request('invalid_client'), responses, ok)).status).toBe(401);
  });

  it('refuses only a refresh grant with revoked_refresh, form or JSON', async () => {
    const form = { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
    const refresh = request('revoked_refresh', { ...form, body: 'grant_type=refresh_token&refresh_token=r' });
    const handler = vi.fn(async () => new Response(`handler saw ${await refresh.text()}`));
    const refused = await withTokenSimulation(refresh, responses, handler);
    expect(refused.status).toBe(400);
    expect(handler).not.toHaveBeenCalled();
    const code = request('revoked_refresh', { ...form, body: 'grant_type=authorization_code&code=c' });
    expect((await withTokenSimulation(code, responses, ok)).status).toBe(200);
    const json = request('revoked_refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":"refresh_token"}' });
    expect((await withTokenSimulation(json, responses, ok)).status).toBe(400);
  });

  it('leaves the body for the handler after reading the grant type', async () => {
    const code = request('revoked_refresh', { method: 'POST', body: 'grant_type=authorization_code&code=c', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const answer = await withTokenSimulation(code, responses, async () => new Response(await code.text()));
    expect(await answer.text()).toBe('grant_type=authorization_code&code=c');
  });

  it('has no effect on a refresh for providers without refresh tokens', async () => {
    const withoutRefresh: TokenFailureResponses = { invalidClient: responses.invalidClient, rateLimited: responses.rateLimited, serverError: responses.serverError };
    const refresh = request('revoked_refresh', { method: 'POST', body: 'grant_type=refresh_token', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect((await withTokenSimulation(refresh, withoutRefresh, ok)).status).toBe(200);
  });

  it('waits before answering with slow_token, then answers normally', async () => {
    const started = performance.now();
    const answer = await withTokenSimulation(request('slow_token'), responses, ok, 60);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(answer.status).toBe(200);
  });
});

describe('waitUnlessAborted', () => {
  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const wait = waitUnlessAborted(10_000, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await wait;
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('simulatedApiFailure', () => {
  const api = { expiredToken: () => new Response(null, { status: 401 }), refusedScope: () => new Response(null, { status: 403 }) };
  it('answers expired before refused, and nothing otherwise', () => {
    expect(simulatedApiFailure(request('refused_scope,expired_token'), api)?.status).toBe(401);
    expect(simulatedApiFailure(request('refused_scope'), api)?.status).toBe(403);
    expect(simulatedApiFailure(request('invalid_client'), api)).toBeUndefined();
  });
});
