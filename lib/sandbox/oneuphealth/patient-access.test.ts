import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { createOneUpHealthSandbox, type OneUpHealthSandbox } from './index';
import { createTestClock } from '../shared/test-helpers';
import { basicAuthorization, getPreset, parseForm, redirectUri, send, testBase, type Bundle } from './test-helpers';

const app = getPreset('patient-access');
const jason = { memberId: '08-testmemid', password: 'Argonaut1986!' };
const otherMember = { memberId: '08-DMO000001', password: 'DemoPlan2026!' };
const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };

interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
  patient?: string;
  id_token?: string;
}

function authorizeQuery(overrides: Record<string, string | null> = {}): string {
  const params: Record<string, string | null> = {
    client_id: app.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'user/*.read launch/patient openid',
    state: 'state-1234567890abcdef',
    ...overrides,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null) query.set(name, value);
  return query.toString();
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function postForm(sandbox: OneUpHealthSandbox, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return send(sandbox, path, { method: 'POST', headers: { ...formHeaders, ...headers }, body: new URLSearchParams(fields).toString() });
}

/** Authorize → sign in → consent; returns the redirect back to the app. */
async function authorize(sandbox: OneUpHealthSandbox, query = authorizeQuery(), member = jason, system = 'test'): Promise<URL> {
  const page = await send(sandbox, `/oauth2/authorize/${system}?${query}`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await page.text();
  expect(html).toContain('1up Demo Health Plan');
  expect(html).toContain('#5b2bd9');
  const login = parseForm(html);
  const consentPage = await postForm(sandbox, login.action, { ...login.fields, member_id: member.memberId, password: member.password });
  expect(consentPage.status).toBe(200);
  const consentHtml = await consentPage.text();
  expect(consentHtml).toContain('Share your records?');
  const consent = parseForm(consentHtml);
  const redirect = await postForm(sandbox, consent.action, { ...consent.fields, decision: 'allow' });
  expect(redirect.status).toBe(302);
  return new URL(redirect.headers.get('location') ?? '');
}

function exchange(sandbox: OneUpHealthSandbox, code: string, extra: Record<string, string> = {}) {
  return postForm(sandbox, '/oauth2/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    ...extra,
  });
}

function setup() {
  const clock = createTestClock();
  const sandbox = createOneUpHealthSandbox({ now: clock.now, redirectUris: [redirectUri] });
  return { clock, sandbox };
}

describe('Patient Access: authorization code at the demo health plan', () => {
  it('runs authorize → sign-in → consent → code → token → FHIR for the signed-in member only', async () => {
    const { sandbox, clock } = setup();
    const back = await authorize(sandbox);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('state-1234567890abcdef');
    const code = back.searchParams.get('code') ?? '';
    expect(code).toMatch(/^[0-9a-f]{32}$/);

    const response = await exchange(sandbox, code);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const tokens = (await response.json()) as TokenBody;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 7199, scope: 'user/*.read launch/patient openid' });
    expect(tokens.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(tokens.refresh_token).toMatch(/^[0-9a-f]{32}$/);

    const certs = (await (await send(sandbox, '/oauth2/certs')).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(tokens.id_token ?? '', createLocalJWKSet(certs), { issuer: testBase, audience: app.clientId, currentDate: new Date(clock.now()) });
    expect(payload.sub).toBe(tokens.patient);
    expect(payload.fhirUser).toBe(`${testBase}/r4/Patient/${tokens.patient}`);

    const headers = { Authorization: `Bearer ${tokens.access_token}`, Accept: 'application/fhir+json' };
    const patients = (await (await send(sandbox, '/r4/Patient', { headers })).json()) as Bundle<{ name: Array<{ given: string[]; family: string }>; identifier: Array<{ value: string }> }>;
    expect(patients.total).toBe(1);
    expect(patients.entry?.[0]?.resource.id).toBe(tokens.patient);
    expect(patients.entry?.[0]?.resource.name[0]).toMatchObject({ family: 'Argonaut', given: ['Jason'] });
    expect(patients.entry?.[0]?.resource.identifier[0]?.value).toBe('08-testmemid');

    const eobs = (await (await send(sandbox, '/r4/ExplanationOfBenefit?_count=100', { headers })).json()) as Bundle<{ patient: { reference: string } }>;
    for (const entry of eobs.entry ?? []) expect(entry.resource.patient.reference).toBe(`Patient/${tokens.patient}`);
    const coverage = (await (await send(sandbox, '/r4/Coverage', { headers })).json()) as Bundle;
    expect(coverage.total).toBeGreaterThan(0);
    expect((await send(sandbox, `/r4/Patient/${tokens.patient}`, { headers })).status).toBe(200);

    const metadata = await send(sandbox, '/r4/metadata');
    expect(metadata.status).toBe(200);
    expect(JSON.stringify(await metadata.json())).toContain(`${testBase}/oauth2/authorize/test`);
  });

  it('keeps members apart: another member’s token cannot read Jason', async () => {
    const { sandbox } = setup();
    const jasonTokens = (await (await exchange(sandbox, (await authorize(sandbox)).searchParams.get('code') ?? '')).json()) as TokenBody;
    const other = await authorize(sandbox, authorizeQuery({ state: null }), otherMember, 'demoplan');
    expect(other.searchParams.has('state')).toBe(false);
    const otherTokens = (await (await exchange(sandbox, other.searchParams.get('code') ?? '')).json()) as TokenBody;
    expect(otherTokens.patient).not.toBe(jasonTokens.patient);
    const read = await send(sandbox, `/r4/Patient/${jasonTokens.patient}`, { headers: { Authorization: `Bearer ${otherTokens.access_token}` } });
    expect(read.status).toBe(404);
    const search = (await (await send(sandbox, `/r4/Coverage?patient=${jasonTokens.patient}`, { headers: { Authorization: `Bearer ${otherTokens.access_token}` } })).json()) as Bundle;
    expect(search.total).toBe(0);
  });

  it('verifies S256 PKCE when the app sends a code_challenge', async () => {
    const { sandbox } = setup();
    const { verifier, challenge } = pkcePair();
    const query = authorizeQuery({ code_challenge: challenge, code_challenge_method: 'S256' });
    const bad = await exchange(sandbox, (await authorize(sandbox, query)).searchParams.get('code') ?? '', { code_verifier: pkcePair().verifier });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid code_verifier' });

    const missing = await exchange(sandbox, (await authorize(sandbox, query)).searchParams.get('code') ?? '');
    expect(await missing.json()).toEqual({ error: 'invalid_grant', error_description: 'Missing code_verifier' });

    const good = await exchange(sandbox, (await authorize(sandbox, query)).searchParams.get('code') ?? '', { code_verifier: verifier });
    expect(good.status).toBe(200);

    const unasked = await exchange(sandbox, (await authorize(sandbox)).searchParams.get('code') ?? '', { code_verifier: verifier });
    expect(unasked.status).toBe(400);
    expect(((await unasked.json()) as { error: string }).error).toBe('invalid_grant');

    const plain = await send(sandbox, `/oauth2/authorize/test?${authorizeQuery({ code_challenge: challenge })}`);
    expect(plain.status).toBe(302);
    expect(new URL(plain.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('refreshes without rotating: a new access token, the same refresh token', async () => {
    const { sandbox, clock } = setup();
    const tokens = (await (await exchange(sandbox, (await authorize(sandbox)).searchParams.get('code') ?? '')).json()) as TokenBody;
    clock.advance(7200_000);
    expect((await send(sandbox, '/r4/Patient', { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
    const refreshed = await postForm(
      sandbox,
      '/oauth2/token',
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
      { Authorization: basicAuthorization(app.clientId, app.clientSecret) },
    );
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as TokenBody;
    expect(body.refresh_token).toBe(tokens.refresh_token);
    expect(body.access_token).not.toBe(tokens.access_token);
    expect(body.id_token).toBeUndefined();
    expect((await send(sandbox, '/r4/Patient', { headers: { Authorization: `Bearer ${body.access_token}` } })).status).toBe(200);

    const widened = await postForm(sandbox, '/oauth2/token', {
      grant_type: 'refresh_token', refresh_token: tokens.refresh_token, scope: 'user/*.read patient/*.read', client_id: app.clientId, client_secret: app.clientSecret,
    });
    expect(((await widened.json()) as { error: string }).error).toBe('invalid_scope');
    const unknown = await postForm(sandbox, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: 'nope', client_id: app.clientId, client_secret: app.clientSecret });
    expect(await unknown.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
  });
});

describe('Patient Access errors', () => {
  it('shows a wrong redirect_uri or unknown client on a page and never redirects', async () => {
    const { sandbox } = setup();
    for (const query of [authorizeQuery({ redirect_uri: 'http://localhost:3000/api/oauth/1uphealth/callback/' }), authorizeQuery({ redirect_uri: 'https://evil.example/cb' }), authorizeQuery({ client_id: 'nobody' }), authorizeQuery({ redirect_uri: null })]) {
      const response = await send(sandbox, `/oauth2/authorize/test?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.has('location')).toBe(false);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    }
    expect((await send(sandbox, `/oauth2/authorize/acme?${authorizeQuery()}`)).status).toBe(404);
  });

  it('returns request errors to the app with the state', async () => {
    const { sandbox } = setup();
    const cases: Array<[Record<string, string | null>, string]> = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'user/*.write' }, 'invalid_scope'],
    ];
    for (const [overrides, error] of cases) {
      const response = await send(sandbox, `/oauth2/authorize/test?${authorizeQuery(overrides)}`);
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('state-1234567890abcdef');
    }
  });

  it('re-shows the sign-in page for a wrong password and returns access_denied on Deny', async () => {
    const { sandbox } = setup();
    const login = parseForm(await (await send(sandbox, `/oauth2/authorize/test?${authorizeQuery()}`)).text());
    const wrong = await postForm(sandbox, login.action, { ...login.fields, member_id: jason.memberId, password: 'nope' });
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('The member ID or password is not correct.');
    const retry = parseForm(wrongHtml);
    const consent = parseForm(await (await postForm(sandbox, retry.action, { ...retry.fields, member_id: jason.memberId, password: jason.password })).text());
    const denied = await postForm(sandbox, consent.action, { ...consent.fields, decision: 'deny' });
    const location = new URL(denied.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.has('code')).toBe(false);
    // The sign-in is spent: answering again is refused.
    expect((await postForm(sandbox, consent.action, { ...consent.fields, decision: 'allow' })).status).toBe(400);
  });

  it('refuses a reused code and revokes the tokens the code gave', async () => {
    const { sandbox } = setup();
    const code = (await authorize(sandbox)).searchParams.get('code') ?? '';
    const tokens = (await (await exchange(sandbox, code)).json()) as TokenBody;
    const again = await exchange(sandbox, code);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_grant', error_description: 'Authorization code has already been used' });
    const revoked = await send(sandbox, '/r4/Patient', { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    const refresh = await postForm(sandbox, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: app.clientId, client_secret: app.clientSecret });
    expect(refresh.status).toBe(400);
  });

  it('expires the code after 5 minutes', async () => {
    const { sandbox, clock } = setup();
    const fresh = (await authorize(sandbox)).searchParams.get('code') ?? '';
    clock.advance(5 * 60 * 1000);
    expect((await exchange(sandbox, fresh)).status).toBe(200);
    const late = (await authorize(sandbox)).searchParams.get('code') ?? '';
    clock.advance(5 * 60 * 1000 + 1);
    const expired = await exchange(sandbox, late);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({ error: 'invalid_grant', error_description: 'Authorization code has expired' });
  });

  it('refuses a wrong secret (401 invalid_client) and a redirect_uri that differs from the authorize request', async () => {
    const { sandbox } = setup();
    const code = (await authorize(sandbox)).searchParams.get('code') ?? '';
    const wrongSecret = await exchange(sandbox, code, { client_secret: 'wrong' });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client credentials' });
    const wrongRedirect = await exchange(sandbox, code, { redirect_uri: 'http://127.0.0.1:3000/api/oauth/1uphealth/callback' });
    expect(wrongRedirect.status).toBe(400);
    expect(((await wrongRedirect.json()) as { error_description: string }).error_description).toBe('redirect_uri does not match the authorization request');
    const unsupported = await postForm(sandbox, '/oauth2/token', { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret });
    expect(((await unsupported.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('answers a bad or expired access token with a 401 OperationOutcome', async () => {
    const { sandbox, clock } = setup();
    const tokens = (await (await exchange(sandbox, (await authorize(sandbox)).searchParams.get('code') ?? '')).json()) as TokenBody;
    const bad = await send(sandbox, '/r4/Patient', { headers: { Authorization: 'Bearer 0123456789abcdef0123456789abcdef' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(await bad.json()).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: 'Invalid access token' }] });
    clock.advance(7198_000);
    expect((await send(sandbox, '/r4/Patient', { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);
    clock.advance(1000);
    const expired = await send(sandbox, '/r4/Patient', { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { issue: Array<{ diagnostics: string }> }).issue[0]?.diagnostics).toBe('Access token expired');
  });

  it('escapes what the app sends when it echoes it on the sign-in page', async () => {
    const { sandbox } = setup();
    const login = parseForm(await (await send(sandbox, `/oauth2/authorize/test?${authorizeQuery()}`)).text());
    const page = await (await postForm(sandbox, login.action, { ...login.fields, member_id: '"><script>alert(1)</script>', password: 'x' })).text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;');
  });
});
