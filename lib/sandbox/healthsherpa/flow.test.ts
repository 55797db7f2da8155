import { describe, expect, it } from 'vitest';
import type { ConsoleHost } from '../host';
import { getHealthSherpaSandbox } from './index';
import {
  bearer,
  codeExchange,
  createTestSandbox,
  demoApp,
  firstAgent,
  formPost,
  hiddenFields,
  redirectUri,
  refreshRequest,
  runAuthorization,
  send,
  type TokenBody,
} from './test-helpers';

describe('the seed document’s flow, end to end', () => {
  it('authorize → login → consent → code → token → contacts → refresh, with the seed’s requests', async () => {
    const { sandbox, clock } = createTestSandbox();

    // 1. Redirect user to the authorization endpoint (the seed's query, plus a state).
    const login = await send(
      sandbox,
      `/oauth/authorize?client_id=${demoApp.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=partner_api_v2&state=xyz123`,
    );
    expect(login.status).toBe(200);
    expect(login.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const loginHtml = await login.text();
    expect(loginHtml).toContain('HealthSherpa for Medicare');
    expect(loginHtml).toContain('#0f6e5a');
    expect(loginHtml).toContain('action="/sandbox/healthsherpa/oauth/authorize"');

    // 2. The agent signs in and sees the consent screen.
    const consent = await send(
      sandbox,
      '/oauth/authorize',
      formPost({ ...hiddenFields(loginHtml), email: firstAgent.username, password: firstAgent.password }),
    );
    const consentHtml = await consent.text();
    expect(consent.status).toBe(200);
    expect(consentHtml).toContain('<strong>Demo partner app</strong> wants to access your HealthSherpa Medicare account');
    expect(consentHtml).toContain('<code>partner_api_v2</code><span>— create and search contacts</span>');
    expect(consentHtml).toMatch(/>Authorize</);
    expect(consentHtml).toMatch(/>Deny</);

    // …and authorizes: YOUR_REDIRECT_URI?code=AUTH_CODE&state=STATE_VALUE
    const approved = await send(sandbox, '/oauth/authorize', formPost({ ...hiddenFields(consentHtml), decision: 'authorize' }));
    expect(approved.status).toBe(302);
    const location = new URL(approved.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect([...location.searchParams.keys()]).toEqual(['code', 'state']);
    expect(location.searchParams.get('state')).toBe('xyz123');
    const code = location.searchParams.get('code') ?? '';
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // 3. Exchange the code: curl -X POST …/oauth/token -H "Content-Type: application/x-www-form-urlencoded" -d …
    const exchanged = await send(sandbox, '/oauth/token', codeExchange(code));
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(exchanged.headers.get('cache-control')).toBe('no-store, no-cache');
    expect(exchanged.headers.get('pragma')).toBe('no-cache');
    const tokens = (await exchanged.json()) as TokenBody;
    expect(Object.keys(tokens)).toEqual(['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope', 'created_at']);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'partner_api_v2', created_at: Math.floor(clock.now() / 1000) });
    expect(tokens.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.refresh_token).not.toBe(tokens.access_token);

    // 4. Use the access token: curl …/v2/contacts -H "Authorization: Bearer …" -H "Content-Type: application/json" -d '{"contact": …}'
    const created = await send(sandbox, '/v2/contacts', {
      method: 'POST',
      headers: { ...bearer(tokens.access_token), 'Content-Type': 'application/json' },
      body: '{"contact": {"external_id": "CRM123", "first_name": "John", "last_name": "Doe"}}',
    });
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as { data: { contact: Record<string, unknown> } };
    expect(data.contact).toMatchObject({ external_id: 'CRM123', first_name: 'John', last_name: 'Doe' });
    expect(data.contact.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(data.contact.slug).toMatch(/^john-doe-[0-9a-f]{6}$/);

    const listed = await send(sandbox, '/v2/contacts?last_name=Doe', { headers: bearer(tokens.access_token) });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { data: { contacts: Array<{ id: unknown }> } }).data.contacts.map((c) => c.id)).toEqual([data.contact.id]);

    // 5. Refresh when the access token expires: the seed's curl, and rotation.
    clock.advance(3600 * 1000);
    const expired = await send(sandbox, '/v2/contacts', { headers: bearer(tokens.access_token) });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: { message: 'The access token is invalid.', code: 'invalid_token' } });

    const refreshed = await send(sandbox, '/oauth/token', refreshRequest(tokens.refresh_token));
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as TokenBody;
    expect(next).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'partner_api_v2', created_at: Math.floor(clock.now() / 1000) });
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await send(sandbox, '/v2/contacts', { headers: bearer(next.access_token) })).status).toBe(200);
  });

  it('answers Deny with access_denied and the state, and issues no code', async () => {
    const { sandbox } = createTestSandbox();
    const { location } = await runAuthorization(sandbox, { deny: true });
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'The resource owner or authorization server denied the request.',
      state: 'state-1234567890abcdef',
    });
  });

  it('shares one instance per process, registered for the console’s own callback', async () => {
    // A console without REDIS_URL: the process-wide sandbox keeps its state in memory.
    const consoleHost: ConsoleHost = {
      originOf: () => null,
      internalOrigin: () => undefined,
      stateSettings: () => ({ redisUrl: undefined, secret: 'x'.repeat(40) }),
    };
    const sandbox = getHealthSherpaSandbox(consoleHost);
    expect(getHealthSherpaSandbox(consoleHost)).toBe(sandbox);
    // The default registration is builtinRedirectUris('healthsherpa'): the console's callback on localhost.
    const port = process.env.PORT ?? '3000';
    const callback = `http://localhost:${port}/api/oauth/healthsherpa/callback`;
    const response = await send(
      sandbox,
      `/oauth/authorize?client_id=${demoApp.clientId}&redirect_uri=${encodeURIComponent(callback)}&response_type=code&scope=partner_api_v2`,
    );
    expect(response.status).toBe(200);
  });
});
