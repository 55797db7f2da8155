import { describe, expect, it } from 'vitest';
import {
  authorizeQuery,
  createPkce,
  createTestSandbox,
  formPost,
  getApp,
  parseForm,
  redirectUri,
  runAuthorization,
  send,
  submitForm,
  testState,
} from './test-helpers';

const app = getApp('demo-demographic');

async function authorize(overrides: Record<string, string | undefined>, init?: RequestInit) {
  const { sandbox } = createTestSandbox();
  const { challenge } = await createPkce();
  return send(sandbox, `/v2/o/authorize/?${authorizeQuery(app, challenge, overrides)}`, init);
}

describe('GET /v2/o/authorize/: Blue Button’s JSON errors', () => {
  it.each([
    ['no PKCE at all', { code_challenge: undefined, code_challenge_method: undefined }, '{"status_code": 400, "message": "Missing Required Parameter(s): code_challenge, code_challenge_method"}'],
    ['no code_challenge and no state', { code_challenge: undefined, state: undefined }, '{"status_code": 400, "message": "Missing Required Parameter(s): code_challenge, state"}'],
    ['no state', { state: undefined }, '{"status_code": 400, "message": "Missing Required Parameter(s): state"}'],
    ['a 15-character state', { state: 'a'.repeat(15) }, '{"status_code": 400, "message": "State parameter should have a minimum of 16 characters"}'],
    ['code_challenge_method=plain', { code_challenge_method: 'plain' }, '{"status_code": 400, "error": "invalid_request", "error_description": "code_challenge_method must be S256"}'],
    ['a scope Blue Button does not have', { scope: 'openid user/*.read' }, '{"status_code": 400, "message": "Invalid scopes."}'],
  ])('answers %s with the exact 400 body', async (_name, overrides, body) => {
    const response = await authorize(overrides);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe(body);
  });

  it('checks PKCE and state before the client, as Blue Button does', async () => {
    const response = await authorize({ client_id: 'nobody', state: undefined });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ status_code: 400, message: 'Missing Required Parameter(s): state' });
  });

  it('answers a POST without state in its body with 401', async () => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, '/v2/o/authorize/', formPost({ client_id: app.clientId }));
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('{"status_code": 401, "message": "State required in POST body."}');
  });

  it('refuses a client_secret in the URL', async () => {
    const response = await authorize({ client_secret: app.clientSecret });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('Illegal query parameter [client_secret] detected');
  });
});

describe('GET /v2/o/authorize/: client and redirect URI', () => {
  it.each([
    ['an unknown client_id', { client_id: 'not-a-registered-app' }, 'Invalid client_id parameter value.'],
    ['a redirect_uri that is not registered', { redirect_uri: 'https://evil.example/callback' }, 'Mismatching redirect URI.'],
    ['a redirect_uri with an extra path segment', { redirect_uri: `${redirectUri}/x` }, 'Mismatching redirect URI.'],
    ['a redirect_uri with a query added', { redirect_uri: `${redirectUri}?next=/` }, 'Mismatching redirect URI.'],
    ['no redirect_uri', { redirect_uri: undefined }, 'Missing redirect URI.'],
  ])('shows an error page for %s and never redirects', async (_name, overrides, message) => {
    const response = await authorize(overrides);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain(message);
  });

  it('redirects unsupported and missing response types back with the state', async () => {
    const wrong = await authorize({ response_type: 'token' });
    expect(wrong.status).toBe(302);
    expect(wrong.headers.get('location')).toBe(`${redirectUri}?error=unsupported_response_type&state=${testState}`);
    const missing = new URL((await authorize({ response_type: undefined })).headers.get('location') ?? '');
    expect(Object.fromEntries(missing.searchParams)).toEqual({
      error: 'invalid_request',
      error_description: 'Missing response_type parameter.',
      state: testState,
    });
  });
});

describe('login and consent pages', () => {
  it('shows a Medicare.gov login carrying the pending authorization in a hidden field', async () => {
    const response = await authorize({});
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain('Medicare.gov');
    expect(page).toContain('#0b4778');
    expect(page).toContain(app.label);
    const form = parseForm(page);
    expect(form.action).toBe('/sandbox/bluebutton/mymedicare/login');
    expect(form.hidden.auth_request).toMatch(/^[0-9a-f-]{36}$/);
    expect(page).not.toContain(app.clientSecret);
  });

  it('accepts POST-style authorization with the parameters in the body', async () => {
    const { sandbox } = createTestSandbox();
    const { challenge } = await createPkce();
    const body = Object.fromEntries(new URLSearchParams(authorizeQuery(app, challenge)));
    const response = await send(sandbox, '/v2/o/authorize/', formPost(body));
    expect(response.status).toBe(200);
    expect(parseForm(await response.text()).action).toBe('/sandbox/bluebutton/mymedicare/login');
  });

  it.each([
    ['a wrong password', 'BBUser00000', 'PW00001!'],
    ['an unknown user', 'BBUser30000', 'PW30000!'],
    ['a lower-case username', 'bbuser00000', 'PW00000!'],
  ])('shows the login again with an error for %s', async (_name, username, password) => {
    const { sandbox } = createTestSandbox();
    const { challenge } = await createPkce();
    const login = await send(sandbox, `/v2/o/authorize/?${authorizeQuery(app, challenge)}`);
    const again = await submitForm(sandbox, login, { username, password });
    expect(again.status).toBe(200);
    const page = await again.text();
    expect(page).toContain('The username or password you entered is not correct.');
    expect(parseForm(page).action).toBe('/sandbox/bluebutton/mymedicare/login');
    expect(page).toContain(`value="${username}"`);
  });

  it('lists the requested scopes on the consent page with the demographic choice ticked', async () => {
    const { sandbox } = createTestSandbox();
    const { challenge } = await createPkce();
    const login = await send(sandbox, `/v2/o/authorize/?${authorizeQuery(app, challenge)}`);
    const consent = await submitForm(sandbox, login, { username: 'BBUser00042', password: 'PW00042!' });
    const page = await consent.text();
    expect(parseForm(page).action).toBe('/sandbox/bluebutton/v2/o/authorize/consent');
    expect(page).toContain('-20140000000043');
    for (const scope of ['patient/ExplanationOfBenefit.rs', 'patient/Coverage.rs', 'patient/Patient.rs', 'profile']) expect(page).toContain(scope);
    expect(page).toMatch(/name="share_demographic_scopes" value="True" checked/);
    expect(page).toContain('Share my demographic info');
    expect(page).toMatch(/name="allow" value="True">Allow</);
    expect(page).toMatch(/name="allow" value="False" class="secondary">Deny</);
  });

  it('offers no demographic choice to an app registered without demographic data', async () => {
    const { sandbox } = createTestSandbox();
    const noDemographics = getApp('demo-no-demographic');
    const { challenge } = await createPkce();
    const login = await send(sandbox, `/v2/o/authorize/?${authorizeQuery(noDemographics, challenge)}`);
    const page = await (await submitForm(sandbox, login, { username: 'BBUser00000', password: 'PW00000!' })).text();
    expect(page).not.toContain('share_demographic_scopes');
    expect(page).not.toContain('patient/Patient.rs');
  });

  it('redirects Deny with access_denied and the state, and no code', async () => {
    const { sandbox } = createTestSandbox();
    const { location } = await runAuthorization(sandbox, { allow: false });
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: 'access_denied', state: testState });
  });

  it('redirects Allow with a 30-character code and the state unchanged', async () => {
    const { sandbox } = createTestSandbox();
    const { response, location } = await runAuthorization(sandbox);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(location.searchParams.get('state')).toBe(testState);
  });

  it('answers a consent form only once, and not after the session expired', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { challenge } = await createPkce();
    const login = await send(sandbox, `/v2/o/authorize/?${authorizeQuery(app, challenge)}`);
    const consentHtml = await (await submitForm(sandbox, login, { username: 'BBUser00000', password: 'PW00000!' })).text();
    const { hidden } = parseForm(consentHtml);
    const post = () => send(sandbox, '/v2/o/authorize/consent', formPost({ ...hidden, allow: 'True', share_demographic_scopes: 'True' }));
    expect((await post()).status).toBe(302);
    const replay = await post();
    expect(replay.status).toBe(400);
    expect(replay.headers.get('location')).toBeNull();

    const login2 = await send(sandbox, `/v2/o/authorize/?${authorizeQuery(app, challenge)}`);
    const { hidden: hidden2 } = parseForm(await login2.text());
    clock.advance(30 * 60_000);
    const late = await send(sandbox, '/mymedicare/login', formPost({ ...hidden2, username: 'BBUser00000', password: 'PW00000!' }));
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('expired');
  });

  it('refuses consent for a session whose user never logged in', async () => {
    const { sandbox } = createTestSandbox();
    const { challenge } = await createPkce();
    const login = await send(sandbox, `/v2/o/authorize/?${authorizeQuery(app, challenge)}`);
    const { hidden } = parseForm(await login.text());
    const response = await send(sandbox, '/v2/o/authorize/consent', formPost({ ...hidden, allow: 'True' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('escapes what the caller controls on its pages', async () => {
    const { sandbox } = createTestSandbox();
    const { challenge } = await createPkce();
    const login = await send(sandbox, `/v2/o/authorize/?${authorizeQuery(app, challenge)}`);
    const page = await (await submitForm(sandbox, login, { username: '"><script>alert(1)</script>', password: 'x' })).text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('&quot;&gt;&lt;script&gt;');
  });
});
