import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { simulating } from '../shared/test-helpers';
import type { SmartSandbox } from './index';
import {
  authorizeQuery,
  clientAuth,
  codeTokenRequest,
  createDpopKey,
  createPkce,
  createProof,
  createTestSandbox,
  expectOAuthError,
  fhirBase,
  formPost,
  getPreset,
  jsonPost,
  redirectUri,
  send,
  signIn,
  testBase,
  testState,
  withHeaders,
  type DpopTestKey,
  type Preset,
  type UserTokenBody,
} from './test-helpers';

const dpopParApp = getPreset('dpop-par-app');
const confidential = getPreset('confidential-app');
const parUrl = `${testBase}/auth/par`;

/** The authorization request's parameters as a form for the PAR endpoint, with the client's authentication. */
async function pushInit(preset: Preset, overrides: Record<string, string | undefined> = {}, headers: Record<string, string> = {}) {
  const pkce = await createPkce();
  const query = new URL(`${testBase}${authorizeQuery(preset, pkce.challenge, overrides)}`).searchParams;
  const auth = clientAuth(preset);
  return { init: formPost({ ...Object.fromEntries(query), ...auth.fields }, { ...auth.headers, ...headers }), verifier: pkce.verifier };
}

async function push(sandbox: SmartSandbox, preset: Preset, overrides: Record<string, string | undefined> = {}, headers: Record<string, string> = {}, failures?: string) {
  const { init, verifier } = await pushInit(preset, overrides, headers);
  const response = await send(sandbox, '/auth/par', failures ? simulating(failures, init) : init);
  return { response, verifier };
}

async function pushOk(sandbox: SmartSandbox, preset: Preset, overrides: Record<string, string | undefined> = {}, headers: Record<string, string> = {}, failures?: string) {
  const { response, verifier } = await push(sandbox, preset, overrides, headers, failures);
  expect(response.status).toBe(201);
  const body = (await response.json()) as { request_uri: string; expires_in: number };
  return { requestUri: body.request_uri, verifier };
}

function byRequestUri(preset: Preset, requestUri: string): string {
  return `/auth/authorize?${new URLSearchParams({ client_id: preset.clientId, request_uri: requestUri }).toString()}`;
}

function redirectError(response: Response) {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return { error: location.searchParams.get('error'), description: location.searchParams.get('error_description') ?? '', state: location.searchParams.get('state') };
}

function proofAt(key: DpopTestKey, now: number, htu: string) {
  return createProof(key, { now, htu });
}

describe('POST /auth/par (RFC 9126)', () => {
  it('answers 201 with a single-use request_uri that the authorize endpoint turns into a code; the DPoP app gets DPoP tokens', async () => {
    const { sandbox, clock } = createTestSandbox();
    const key = await createDpopKey();
    const { response, verifier } = await push(sandbox, dpopParApp, {}, { DPoP: await proofAt(key, clock.now(), parUrl) });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const body = (await response.json()) as { request_uri: string; expires_in: number };
    expect(body.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);
    expect(body.expires_in).toBe(60);

    const location = await signIn(sandbox, byRequestUri(dpopParApp, body.request_uri));
    expect(location.searchParams.get('state')).toBe(testState);
    const code = location.searchParams.get('code') ?? '';
    const exchange = await send(sandbox, '/auth/token', withHeaders(codeTokenRequest(dpopParApp, code, verifier), { DPoP: await createProof(key, { now: clock.now() }) }));
    expect(exchange.status).toBe(200);
    const tokens = (await exchange.json()) as UserTokenBody;
    expect(tokens.token_type).toBe('DPoP');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it('uses only the pushed parameters at the authorize endpoint (RFC 9126 §4)', async () => {
    const { sandbox } = createTestSandbox();
    const { requestUri } = await pushOk(sandbox, confidential);
    const path = `${byRequestUri(confidential, requestUri)}&state=another-state&scope=openid`;
    const location = await signIn(sandbox, path);
    expect(location.searchParams.get('state')).toBe(testState);
  });

  it('refuses a request_uri used twice, redirecting with invalid_request_uri and the pushed state', async () => {
    const { sandbox } = createTestSandbox();
    const { requestUri } = await pushOk(sandbox, dpopParApp);
    expect((await send(sandbox, byRequestUri(dpopParApp, requestUri))).status).toBe(200);
    const again = redirectError(await send(sandbox, byRequestUri(dpopParApp, requestUri)));
    expect(again).toEqual({ error: 'invalid_request_uri', description: expect.stringMatching(/already used; a pushed authorization request is single use/) as string, state: testState });
  });

  it('refuses an expired request_uri, saying after how long', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { requestUri } = await pushOk(sandbox, dpopParApp);
    clock.advance(61_000);
    const expired = redirectError(await send(sandbox, byRequestUri(dpopParApp, requestUri)));
    expect(expired).toMatchObject({ error: 'invalid_request_uri', state: testState });
    expect(expired.description).toMatch(/^The request_uri expired after 60 s \(RFC 9126 §4\)/);
  });

  it('stores the request already expired under par_expired_request_uri', async () => {
    const { sandbox } = createTestSandbox();
    const { requestUri } = await pushOk(sandbox, dpopParApp, {}, {}, 'par_expired_request_uri');
    const expired = redirectError(await send(sandbox, byRequestUri(dpopParApp, requestUri)));
    expect(expired.error).toBe('invalid_request_uri');
    expect(expired.description).toMatch(/\(simulated failure\)/);
  });

  it('shows an error page for an unknown request_uri or another client, never a redirect', async () => {
    const { sandbox } = createTestSandbox();
    const unknown = await send(sandbox, byRequestUri(dpopParApp, 'urn:ietf:params:oauth:request_uri:nope'));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('is unknown here');
    const { requestUri } = await pushOk(sandbox, dpopParApp);
    const other = await send(sandbox, byRequestUri(confidential, requestUri));
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('pushed by another client');
  });

  it('refuses a plain authorization request from a client that must push (require_pushed_authorization_requests)', async () => {
    const { sandbox } = createTestSandbox();
    const { challenge } = await createPkce();
    const refused = redirectError(await send(sandbox, authorizeQuery(dpopParApp, challenge)));
    expect(refused).toEqual({
      error: 'invalid_request',
      description: 'The client "smart-dpop-par-app" must push its authorization request to the PAR endpoint first (require_pushed_authorization_requests, RFC 9126 §5).',
      state: testState,
    });
  });

  it('checks the parameters as the authorize endpoint does, answering JSON 400s', async () => {
    const { sandbox } = createTestSandbox();
    await expectOAuthError((await push(sandbox, confidential, { scope: 'system/*.rs' })).response, 400, 'invalid_scope', /system\/ scopes are for Backend Services/);
    await expectOAuthError((await push(sandbox, confidential, { code_challenge: undefined })).response, 400, 'invalid_request', /code_challenge is missing/);
    await expectOAuthError((await push(sandbox, confidential, { response_type: 'token' })).response, 400, 'unsupported_response_type', /response_type "token"/);
    await expectOAuthError((await push(sandbox, confidential, { redirect_uri: 'https://evil.example/cb' })).response, 400, 'invalid_request', /redirect_uri is not registered/);
    await expectOAuthError((await push(sandbox, confidential, { aud: 'https://elsewhere.example/fhir' })).response, 400, 'invalid_request', /is not this server's FHIR base URL/);
    await expectOAuthError((await push(sandbox, confidential, { request_uri: 'urn:ietf:params:oauth:request_uri:x' })).response, 400, 'invalid_request', /request_uri cannot be pushed/);
  });

  it('authenticates the client as the token endpoint does, and the form client_id must be that client', async () => {
    const { sandbox } = createTestSandbox();
    const { init } = await pushInit(confidential);
    await expectOAuthError(await send(sandbox, '/auth/par', { ...init, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 401, 'invalid_client', /is confidential \(registered for client_secret_basic\) and sent no credentials/);
    await expectOAuthError((await push(sandbox, confidential, { client_id: dpopParApp.clientId })).response, 400, 'invalid_request', /differs from "smart-confidential-app"/);
    expect((await push(sandbox, getPreset('public-app'))).response.status).toBe(201);
    expect((await send(sandbox, '/auth/par')).status).toBe(405);
    await expectOAuthError(await send(sandbox, '/auth/par', jsonPost({})), 400, 'invalid_request', /^The pushed authorization request endpoint takes application\/x-www-form-urlencoded/);
  });

  it('binds dpop_jkt from the proof at the PAR endpoint, and refuses a dpop_jkt that is not the proof key (RFC 9449 §10.1)', async () => {
    const { sandbox, clock } = createTestSandbox();
    const key = await createDpopKey();
    const other = await createDpopKey();
    const mismatch = await push(sandbox, dpopParApp, { dpop_jkt: other.jkt }, { DPoP: await proofAt(key, clock.now(), parUrl) });
    await expectOAuthError(mismatch.response, 400, 'invalid_dpop_proof', /^dpop_jkt .* is not the thumbprint of the DPoP proof's key/);

    const { requestUri, verifier } = await pushOk(sandbox, dpopParApp, {}, { DPoP: await proofAt(key, clock.now(), parUrl) });
    const code = (await signIn(sandbox, byRequestUri(dpopParApp, requestUri))).searchParams.get('code') ?? '';
    const withOther = await send(sandbox, '/auth/token', withHeaders(codeTokenRequest(dpopParApp, code, verifier), { DPoP: await createProof(other, { now: clock.now() }) }));
    await expectOAuthError(withOther, 400, 'invalid_dpop_proof', new RegExp(`bound to the DPoP key with thumbprint ${key.jkt.slice(0, 8)}…, but the proof's key has thumbprint ${other.jkt.slice(0, 8)}…`));
  });

  it('refuses a proof for another endpoint at the PAR endpoint, and asks for a nonce under dpop_nonce_required', async () => {
    const { sandbox, clock } = createTestSandbox();
    const key = await createDpopKey();
    await expectOAuthError((await push(sandbox, dpopParApp, {}, { DPoP: await proofAt(key, clock.now(), `${testBase}/auth/token`) })).response, 400, 'invalid_dpop_proof', /is not this endpoint \(http:\/\/localhost:3000\/sandbox\/smart\/auth\/par\)/);
    const challenge = await push(sandbox, dpopParApp, {}, { DPoP: await proofAt(key, clock.now(), parUrl) }, 'dpop_nonce_required');
    const nonce = challenge.response.headers.get('dpop-nonce') ?? '';
    await expectOAuthError(challenge.response, 400, 'use_dpop_nonce');
    const answered = await push(sandbox, dpopParApp, {}, { DPoP: await createProof(key, { now: clock.now(), htu: parUrl, nonce }) }, 'dpop_nonce_required');
    expect(answered.response.status).toBe(201);
  });

  it('refuses the DPoP app without a proof at the token endpoint', async () => {
    const { sandbox } = createTestSandbox();
    const { requestUri, verifier } = await pushOk(sandbox, dpopParApp);
    const code = (await signIn(sandbox, byRequestUri(dpopParApp, requestUri))).searchParams.get('code') ?? '';
    await expectOAuthError(await send(sandbox, '/auth/token', codeTokenRequest(dpopParApp, code, verifier)), 400, 'invalid_dpop_proof', /dpop_bound_access_tokens/);
  });
});

describe('discovery and registration of DPoP and PAR', () => {
  it.each(['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration', '/.well-known/openid-configuration'])('%s names the PAR endpoint and the DPoP algorithms', async (path) => {
    const { sandbox } = createTestSandbox();
    expect(await (await send(sandbox, path)).json()).toMatchObject({
      pushed_authorization_request_endpoint: parUrl,
      require_pushed_authorization_requests: false,
      dpop_signing_alg_values_supported: ['ES256', 'ES384', 'RS256', 'PS256'],
    });
  });

  it('registers and echoes dpop_bound_access_tokens and require_pushed_authorization_requests, false by default', async () => {
    const { sandbox } = createTestSandbox();
    const plain = await send(sandbox, '/auth/register', jsonPost({ redirect_uris: [redirectUri] }));
    expect(await plain.json()).toMatchObject({ dpop_bound_access_tokens: false, require_pushed_authorization_requests: false });
    const flagged = await send(sandbox, '/auth/register', jsonPost({ redirect_uris: [redirectUri], dpop_bound_access_tokens: true, require_pushed_authorization_requests: true }));
    expect(flagged.status).toBe(201);
    const body = (await flagged.json()) as { client_id: string; dpop_bound_access_tokens: boolean; require_pushed_authorization_requests: boolean };
    expect(body).toMatchObject({ dpop_bound_access_tokens: true, require_pushed_authorization_requests: true });
    const { challenge } = await createPkce();
    const plainRequest = await send(sandbox, authorizeQuery({ ...confidential, clientId: body.client_id }, challenge, { aud: fhirBase }));
    expect(redirectError(plainRequest).error).toBe('invalid_request');
    const refused = await send(sandbox, '/auth/register', jsonPost({ redirect_uris: [redirectUri], dpop_bound_access_tokens: 'yes' }));
    await expectOAuthError(refused, 400, 'invalid_client_metadata', /dpop_bound_access_tokens/);
  });
});
