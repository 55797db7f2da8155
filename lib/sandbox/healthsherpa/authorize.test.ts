import { describe, expect, it } from 'vitest';
import {
  authorizeQuery,
  createTestSandbox,
  firstAgent,
  formPost,
  hiddenFields,
  redirectUri,
  runAuthorization,
  secondAgent,
  send,
} from './test-helpers';

function redirectParams(response: Response): Record<string, string> {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return Object.fromEntries(location.searchParams);
}

describe('GET /oauth/authorize: errors shown as a page, never redirected', () => {
  it.each([
    ['no client_id', { client_id: undefined }, 400, 'invalid_request', 'Missing required parameter: client_id.'],
    [
      'an unknown client_id',
      { client_id: 'not-a-client' },
      401,
      'invalid_client',
      'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
    ],
    ['no redirect_uri', { redirect_uri: undefined }, 400, 'invalid_redirect_uri', "The requested redirect uri is malformed or doesn't match client redirect URI."],
    ['another redirect_uri', { redirect_uri: 'https://evil.example/callback' }, 400, 'invalid_redirect_uri', undefined],
    ['a redirect_uri with a trailing slash', { redirect_uri: `${redirectUri}/` }, 400, 'invalid_redirect_uri', undefined],
    ['a redirect_uri with an extra query', { redirect_uri: `${redirectUri}?next=/` }, 400, 'invalid_redirect_uri', undefined],
  ])('%s → %i %s', async (_name, overrides, status, error, description) => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, authorizeQuery(overrides));
    expect(response.status).toBe(status);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    expect(page).toContain('An error has occurred');
    expect(page).toContain(`<code>${error}</code>`);
    if (description) expect(page).toContain(description.replace("'", '&#39;'));
  });
});

describe('GET /oauth/authorize: errors redirected to the client with the state', () => {
  it.each([
    ['no response_type', { response_type: undefined }, 'invalid_request', 'Missing required parameter: response_type.'],
    ['no scope', { scope: undefined }, 'invalid_request', 'Missing required parameter: scope.'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type', 'The authorization server does not support this response type.'],
    ['an unknown scope', { scope: 'partner_api_v1' }, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.'],
    ['an extra scope', { scope: 'partner_api_v2 admin' }, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.'],
    ['a PKCE challenge without a method', { code_challenge: 'abc' }, 'invalid_code_challenge_method', 'The code_challenge_method must be one of plain, S256.'],
    ['an unknown PKCE method', { code_challenge: 'abc', code_challenge_method: 'S512' }, 'invalid_code_challenge_method', undefined],
  ])('%s → %s', async (_name, overrides, error, description) => {
    const { sandbox } = createTestSandbox();
    const params = redirectParams(await send(sandbox, authorizeQuery(overrides)));
    expect(params.error).toBe(error);
    if (description) expect(params.error_description).toBe(description);
    expect(params.state).toBe('state-1234567890abcdef');
  });

  it('leaves the state out of an error redirect when the client sent none', async () => {
    const { sandbox } = createTestSandbox();
    const params = redirectParams(await send(sandbox, authorizeQuery({ scope: 'nope', state: undefined })));
    expect(params).not.toHaveProperty('state');
  });
});

describe('state', () => {
  it('is echoed byte for byte, special characters included', async () => {
    const { sandbox } = createTestSandbox();
    const state = 'a b+c/d=e&f%g~é';
    const { location } = await runAuthorization(sandbox, { query: { state } });
    expect(location.searchParams.get('state')).toBe(state);
  });

  it('is optional (Doorkeeper does not require it): no state, no state in the redirect', async () => {
    const { sandbox } = createTestSandbox();
    const { location } = await runAuthorization(sandbox, { query: { state: undefined } });
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.has('state')).toBe(false);
  });

  it('keeps the registered redirect URI’s own query and appends code and state', async () => {
    const registered = `${redirectUri}?tenant=demo`;
    const { sandbox } = createTestSandbox({ redirectUris: [registered] });
    const { location } = await runAuthorization(sandbox, { query: { redirect_uri: registered } });
    expect([...location.searchParams.keys()]).toEqual(['tenant', 'code', 'state']);
  });
});

describe('the login and consent pages', () => {
  it('re-renders the login page with 422 for a wrong password, and keeps the request usable', async () => {
    const { sandbox } = createTestSandbox();
    const login = await send(sandbox, authorizeQuery());
    const fields = hiddenFields(await login.text());
    const wrong = await send(sandbox, '/oauth/authorize', formPost({ ...fields, email: firstAgent.username, password: 'nope' }));
    expect(wrong.status).toBe(422);
    const page = await wrong.text();
    expect(page).toContain('Invalid Email or password.');
    expect(page).toContain(`value="${firstAgent.username}"`);
    const retry = await send(sandbox, '/oauth/authorize', formPost({ ...hiddenFields(page), email: firstAgent.username, password: firstAgent.password }));
    expect(retry.status).toBe(200);
    expect(await retry.text()).toContain('Authorization required');
  });

  it('accepts the email in any case, as Devise does', async () => {
    const { sandbox } = createTestSandbox();
    const login = await send(sandbox, authorizeQuery());
    const response = await send(
      sandbox,
      '/oauth/authorize',
      formPost({ ...hiddenFields(await login.text()), email: ` ${secondAgent.username.toUpperCase()} `, password: secondAgent.password }),
    );
    expect(await response.text()).toContain('Jordan Blake');
  });

  it('gives the consent form a new id: the login page’s id cannot approve', async () => {
    const { sandbox } = createTestSandbox();
    const login = await send(sandbox, authorizeQuery());
    const loginFields = hiddenFields(await login.text());
    const consent = await send(sandbox, '/oauth/authorize', formPost({ ...loginFields, email: firstAgent.username, password: firstAgent.password }));
    const consentFields = hiddenFields(await consent.text());
    expect(consentFields.authorization_id).not.toBe(loginFields.authorization_id);
    const replay = await send(sandbox, '/oauth/authorize', formPost({ ...loginFields, decision: 'authorize' }));
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('expired or was already completed');
  });

  it('accepts each consent once', async () => {
    const { sandbox } = createTestSandbox();
    const login = await send(sandbox, authorizeQuery());
    const consent = await send(
      sandbox,
      '/oauth/authorize',
      formPost({ ...hiddenFields(await login.text()), email: firstAgent.username, password: firstAgent.password }),
    );
    const fields = hiddenFields(await consent.text());
    expect((await send(sandbox, '/oauth/authorize', formPost({ ...fields, decision: 'authorize' }))).status).toBe(302);
    expect((await send(sandbox, '/oauth/authorize', formPost({ ...fields, decision: 'authorize' }))).status).toBe(400);
  });

  it('forgets a pending request after 30 minutes', async () => {
    const { sandbox, clock } = createTestSandbox();
    const login = await send(sandbox, authorizeQuery());
    const fields = hiddenFields(await login.text());
    clock.advance(30 * 60 * 1000);
    const late = await send(sandbox, '/oauth/authorize', formPost({ ...fields, email: firstAgent.username, password: firstAgent.password }));
    expect(late.status).toBe(400);
  });

  it('answers an unknown or missing authorization id with the error page', async () => {
    const { sandbox } = createTestSandbox();
    expect((await send(sandbox, '/oauth/authorize', formPost({ authorization_id: 'made-up' }))).status).toBe(400);
    expect((await send(sandbox, '/oauth/authorize', formPost({}))).status).toBe(400);
  });

  it('escapes what it echoes into the page', async () => {
    const { sandbox } = createTestSandbox();
    const login = await send(sandbox, authorizeQuery());
    const wrong = await send(
      sandbox,
      '/oauth/authorize',
      formPost({ ...hiddenFields(await login.text()), email: '"><script>alert(1)</script>', password: 'x' }),
    );
    const page = await wrong.text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('&quot;&gt;&lt;script&gt;');
  });
});
