import Redis from 'ioredis';
import { decodeJwt, importJWK, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { consoleHost } from '@/lib/http/console-host';
import { generateClientKey, publicJwks } from '@/lib/smart/client-keys';
import { withSharedRedis } from '@/test/shared-redis';
import { basicAuthorization, createTestClock, simulating } from '../shared/test-helpers';
import { createSmartSandbox, type SmartSandbox } from './index';
import {
  authorizeQuery,
  backendTokenRequest,
  bearer,
  clientAuth,
  codeTokenRequest,
  createDpopKey,
  createPkce,
  createProof,
  dpopAuthorized,
  expectOAuthError,
  fhirBase,
  formPost,
  getPreset,
  jsonPost,
  redirectUri,
  refreshRequest,
  send,
  testBase,
  testState,
  withHeaders,
  type UserTokenBody,
} from './test-helpers';

/**
 * Several console instances behind a load balancer without stickiness, sharing one Redis: every request of a flow
 * goes to the other instance than the one before, and a fresh instance (a restart) carries on where they left off.
 */

const SECRET = 'shared-state-test-secret-0123456789abcdef';
const shared = withSharedRedis(SECRET);
const confidential = getPreset('confidential-app');
const dpopParApp = getPreset('dpop-par-app');
const parUrl = `${testBase}/auth/par`;
const patientUrl = `${fhirBase}/Patient/smart-1`;

const clock = createTestClock();
/** Every code, token, secret and id the flows below were issued: none may be readable in Redis. */
const issued = new Set<string>();
const prefix = `smart-shared-${Math.random().toString(36).slice(2)}:`;

/** One console instance: its own Redis connection, the same Redis, key prefix and secret as the others. */
function instance(options: { keyPrefix?: string; maxRegisteredClients?: number } = {}): SmartSandbox {
  const state = shared.state(options.keyPrefix ?? prefix);
  return createSmartSandbox({
    consoleHost,
    now: clock.now,
    redirectUris: () => [redirectUri],
    state,
    ...(options.maxRegisteredClients ? { maxRegisteredClients: options.maxRegisteredClients } : {}),
  });
}

function keep<T extends string | undefined>(value: T): T {
  if (value) issued.add(value);
  return value;
}

/** Opens the sign-in page; the pending authorization's id from its hidden field. */
async function openSignIn(sandbox: SmartSandbox, path: string): Promise<string> {
  const page = await send(sandbox, path);
  expect(page.status).toBe(200);
  const pending = /name="pending" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  expect(pending).not.toBe('');
  return keep(pending);
}

function decide(sandbox: SmartSandbox, pending: string, password = 'smart-sandbox'): Promise<Response> {
  return send(sandbox, '/auth/authorize', formPost({ pending, username: 'patient1', password, decision: 'approve' }));
}

function codeOf(response: Response): string {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(location.searchParams.get('state')).toBe(testState);
  return keep(location.searchParams.get('code') ?? '');
}

async function tokensOf(response: Response): Promise<UserTokenBody> {
  expect(response.status).toBe(200);
  const body = (await response.json()) as UserTokenBody;
  keep(body.access_token);
  keep(body.refresh_token);
  keep(body.id_token);
  return body;
}

async function introspect(sandbox: SmartSandbox, token: string): Promise<Record<string, unknown>> {
  const response = await send(sandbox, '/auth/introspect', formPost({ token }, { Authorization: basicAuthorization(confidential.clientId, confidential.clientSecret) }));
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** A code for the confidential app: the sign-in page on `first`, the approval on `second`. */
async function codeAcross(first: SmartSandbox, second: SmartSandbox) {
  const pkce = await createPkce();
  const pending = await openSignIn(first, authorizeQuery(confidential, pkce.challenge));
  return { code: codeOf(await decide(second, pending)), verifier: pkce.verifier };
}

describe('SMART sandbox instances sharing Redis', () => {
  it('run authorization code, PKCE, refresh rotation, introspection and revocation across instances', async () => {
    const a = instance();
    const b = instance();
    const pkce = await createPkce();

    const pending = await openSignIn(a, authorizeQuery(confidential, pkce.challenge));
    const wrong = await decide(b, pending, 'not-the-password');
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('The username or password is not correct.');
    const code = codeOf(await decide(a, pending));

    // PKCE is checked by the other instance against the challenge the first one stored.
    await expectOAuthError(await send(b, '/auth/token', codeTokenRequest(confidential, code, 'x'.repeat(43))), 400, 'invalid_grant', /code_verifier does not match/);
    const first = await tokensOf(await send(a, '/auth/token', codeTokenRequest(confidential, code, pkce.verifier)));
    expect(first).toMatchObject({ token_type: 'Bearer', patient: 'smart-1', refresh_token: expect.any(String) });

    expect((await send(b, '/fhir/Patient/smart-1', bearer(first.access_token))).status).toBe(200);
    expect(await introspect(a, first.access_token)).toMatchObject({ active: true, client_id: confidential.clientId, patient: 'smart-1' });
    expect(await introspect(b, first.refresh_token!)).toMatchObject({ active: true, token_type: 'refresh_token' });

    const second = await tokensOf(await send(a, '/auth/token', refreshRequest(confidential, first.refresh_token!)));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await introspect(b, first.refresh_token!)).toEqual({ active: false });
    expect((await send(a, '/fhir/Patient/smart-1', bearer(second.access_token))).status).toBe(200);
    const third = await tokensOf(await send(b, '/auth/token', refreshRequest(confidential, second.refresh_token!)));

    // The token B retired, presented to A, is a reuse: the whole family is revoked, on every instance.
    await expectOAuthError(await send(a, '/auth/token', refreshRequest(confidential, second.refresh_token!)), 400, 'invalid_grant', /already used.*now revoked/);
    await expectOAuthError(await send(b, '/auth/token', refreshRequest(confidential, third.refresh_token!)), 400, 'invalid_grant', /unknown or has been revoked/);
    const revoked = await send(a, '/fhir/Patient/smart-1', bearer(third.access_token));
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toMatch(/invalid_token/);
    expect(await introspect(b, third.access_token)).toEqual({ active: false });
    expect(await introspect(a, third.refresh_token!)).toEqual({ active: false });
  });

  it('recognise a code replayed on the other instance and revoke what it issued', async () => {
    const a = instance();
    const b = instance();
    const { code, verifier } = await codeAcross(a, b);
    const tokens = await tokensOf(await send(a, '/auth/token', codeTokenRequest(confidential, code, verifier)));
    await expectOAuthError(await send(b, '/auth/token', codeTokenRequest(confidential, code, verifier)), 400, 'invalid_grant', /already used.*now revoked/);
    expect((await send(a, '/fhir/Patient/smart-1', bearer(tokens.access_token))).status).toBe(401);
    await expectOAuthError(await send(b, '/auth/token', refreshRequest(confidential, tokens.refresh_token!)), 400, 'invalid_grant', /unknown or has been revoked/);
  });

  it('redeem a code, a sign-in, a request_uri and a refresh token once when both instances race', async () => {
    const a = instance();
    const b = instance();

    const pkce = await createPkce();
    const pending = await openSignIn(a, authorizeQuery(confidential, pkce.challenge));
    const approvals = await Promise.all([decide(a, pending), decide(b, pending)]);
    expect(approvals.map((r) => r.status).sort()).toEqual([302, 400]);
    const code = codeOf(approvals.find((r) => r.status === 302)!);

    const exchanges = await Promise.all([a, b].map((sandbox) => send(sandbox, '/auth/token', codeTokenRequest(confidential, code, pkce.verifier))));
    expect(exchanges.map((r) => r.status).sort()).toEqual([200, 400]);
    await tokensOf(exchanges.find((r) => r.status === 200)!);

    // A fresh grant: the loser above may have come second and revoked that one as a replay (RFC 6749 §4.1.2).
    const fresh = await codeAcross(b, a);
    const tokens = await tokensOf(await send(b, '/auth/token', codeTokenRequest(confidential, fresh.code, fresh.verifier)));
    const refreshes = await Promise.all([a, b].map((sandbox) => send(sandbox, '/auth/token', refreshRequest(confidential, tokens.refresh_token!))));
    expect(refreshes.map((r) => r.status).sort()).toEqual([200, 400]);
    for (const refresh of refreshes) if (refresh.status === 200) await tokensOf(refresh);

    const auth = clientAuth(confidential);
    const pushed = await send(a, '/auth/par', formPost({ ...Object.fromEntries(new URL(`${testBase}${authorizeQuery(confidential, pkce.challenge)}`).searchParams), ...auth.fields }, auth.headers));
    expect(pushed.status).toBe(201);
    const requestUri = keep(((await pushed.json()) as { request_uri: string }).request_uri);
    const byUri = `/auth/authorize?${new URLSearchParams({ client_id: confidential.clientId, request_uri: requestUri }).toString()}`;
    const uses = await Promise.all([send(a, byUri), send(b, byUri)]);
    expect(uses.map((r) => r.status).sort()).toEqual([200, 302]);
    const refused = new URL(uses.find((r) => r.status === 302)!.headers.get('location') ?? '');
    expect(refused.searchParams.get('error')).toBe('invalid_request_uri');
    expect(refused.searchParams.get('error_description')).toMatch(/already used/);
  });

  it('run PAR and DPoP across instances: push on A, authorize on B, a nonce from A answered on B, proof jtis shared', async () => {
    const a = instance();
    const b = instance();
    const key = await createDpopKey();
    const pkce = await createPkce();
    const auth = clientAuth(dpopParApp);
    const params = Object.fromEntries(new URL(`${testBase}${authorizeQuery(dpopParApp, pkce.challenge)}`).searchParams);

    // The nonce A hands out is current on B (one secret for all instances).
    const challenge = await send(a, '/auth/par', simulating('dpop_nonce_required', formPost({ ...params, ...auth.fields }, { ...auth.headers, DPoP: await createProof(key, { now: clock.now(), htu: parUrl }) })));
    await expectOAuthError(challenge.clone(), 400, 'use_dpop_nonce');
    const nonceFromA = challenge.headers.get('dpop-nonce') ?? '';
    expect(nonceFromA).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const pushed = await send(b, '/auth/par', simulating('dpop_nonce_required', formPost({ ...params, ...auth.fields }, { ...auth.headers, DPoP: await createProof(key, { now: clock.now(), htu: parUrl, nonce: nonceFromA }) })));
    expect(pushed.status).toBe(201);
    const requestUri = keep(((await pushed.json()) as { request_uri: string }).request_uri);

    const byUri = `/auth/authorize?${new URLSearchParams({ client_id: dpopParApp.clientId, request_uri: requestUri }).toString()}`;
    const pending = await openSignIn(a, byUri);
    // Single use, whichever instance the second use reaches.
    const again = await send(b, byUri);
    expect(new URL(again.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request_uri');
    const code = codeOf(await decide(a, pending));

    // The token request meets the nonce requirement on B with a nonce A minted …
    const tokenChallenge = await send(b, '/auth/token', simulating('dpop_nonce_required', withHeaders(codeTokenRequest(dpopParApp, code, pkce.verifier), { DPoP: await createProof(key, { now: clock.now() }) })));
    await expectOAuthError(tokenChallenge.clone(), 400, 'use_dpop_nonce');
    const nonce = tokenChallenge.headers.get('dpop-nonce') ?? '';
    const tokenProof = await createProof(key, { now: clock.now(), nonce });
    const exchange = await send(a, '/auth/token', simulating('dpop_nonce_required', withHeaders(codeTokenRequest(dpopParApp, code, pkce.verifier), { DPoP: tokenProof })));
    const tokens = await tokensOf(exchange);
    expect(tokens.token_type).toBe('DPoP');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: key.jkt });

    // … and a proof used on one instance is a replay on the other, at the token endpoint and at the FHIR API.
    const replayedToken = await send(b, '/auth/token', simulating('dpop_nonce_required', withHeaders(refreshRequest(dpopParApp, tokens.refresh_token!), { DPoP: tokenProof })));
    await expectOAuthError(replayedToken, 400, 'invalid_dpop_proof', /jti was already used/);
    const fhirProof = await createProof(key, { now: clock.now(), htm: 'GET', htu: patientUrl, accessToken: tokens.access_token });
    expect((await send(a, patientUrl, dpopAuthorized(tokens.access_token, fhirProof))).status).toBe(200);
    const replayed = await send(b, patientUrl, dpopAuthorized(tokens.access_token, fhirProof));
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get('www-authenticate')).toMatch(/invalid_dpop_proof.*jti was already used/);

    const refreshed = await send(a, '/auth/token', withHeaders(refreshRequest(dpopParApp, tokens.refresh_token!), { DPoP: await createProof(key, { now: clock.now() }) }));
    expect((await tokensOf(refreshed)).token_type).toBe('DPoP');
  });

  it('register on A, then Backend Services with private_key_jwt on B; an assertion jti is used once across instances', async () => {
    const a = instance();
    const b = instance();
    const key = await generateClientKey('ES384');
    const registered = await send(a, '/auth/register', jsonPost({ client_name: 'Shared backend', token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], scope: 'system/*.rs', jwks: publicJwks([key]) }));
    expect(registered.status).toBe(201);
    const { client_id: clientId } = (await registered.json()) as { client_id: string };

    const init = await backendTokenRequest(clientId, key, { now: clock.now(), jti: `jti-${crypto.randomUUID()}` });
    const granted = await send(b, '/auth/token', init);
    expect(granted.status).toBe(200);
    const token = keep(((await granted.json()) as { access_token: string }).access_token);
    await expectOAuthError(await send(a, '/auth/token', { ...init }), 401, 'invalid_client', /jti .* was already used/);
    expect((await send(b, '/fhir/Patient', bearer(token))).status).toBe(200);

    // A client_secret_basic app registered on A signs in and authenticates on B, and its secret is nowhere in Redis.
    const app = await send(a, '/auth/register', jsonPost({ client_name: 'Shared app', redirect_uris: [redirectUri] }));
    const { client_id: appId, client_secret: appSecret } = (await app.json()) as { client_id: string; client_secret: string };
    keep(appSecret);
    const pkce = await createPkce();
    const appQuery = authorizeQuery(confidential, pkce.challenge, { client_id: appId, scope: 'openid patient/*.rs offline_access' });
    const code = codeOf(await decide(a, await openSignIn(b, appQuery)));
    const exchange = await send(b, '/auth/token', formPost({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pkce.verifier }, { Authorization: basicAuthorization(appId, appSecret) }));
    await tokensOf(exchange);
  });

  it('keep the registration bound for all instances together: the oldest is forgotten, whichever instance took it', async () => {
    const keyPrefix = `smart-capacity-${Math.random().toString(36).slice(2)}:`;
    const [a, b] = [instance({ keyPrefix, maxRegisteredClients: 2 }), instance({ keyPrefix, maxRegisteredClients: 2 })];
    const ids: string[] = [];
    for (const sandbox of [a, b, a]) {
      const response = await send(sandbox, '/auth/register', jsonPost({ redirect_uris: [redirectUri] }));
      ids.push(((await response.json()) as { client_id: string }).client_id);
    }
    const authorize = (sandbox: SmartSandbox, clientId: string) => send(sandbox, `/auth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(redirectUri)}`);
    expect(await (await authorize(b, ids[0]!)).text()).toContain('No client is registered');
    expect((await authorize(b, ids[1]!)).status).toBe(302);
    expect((await authorize(a, ids[2]!)).status).toBe(302);
  });

  it('sign with one key: a token from B verifies with the JWKS A publishes, and A accepts it', async () => {
    const a = instance();
    const b = instance();
    const { code, verifier } = await codeAcross(b, a);
    const tokens = await tokensOf(await send(b, '/auth/token', codeTokenRequest(confidential, code, verifier)));
    const jwks = (await (await send(a, '/.well-known/jwks.json')).json()) as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    const [jwk] = jwks.keys;
    const at = { currentDate: new Date(clock.now()) };
    await expect(jwtVerify(tokens.access_token, await importJWK(jwk!, 'RS256'), at)).resolves.toBeTruthy();
    await expect(jwtVerify(tokens.id_token!, await importJWK(jwk!, 'RS256'), at)).resolves.toBeTruthy();
    expect((await send(a, '/fhir/Patient/smart-1', bearer(tokens.access_token))).status).toBe(200);
    expect(await (await send(b, '/.well-known/jwks.json')).json()).toEqual(jwks);
  });

  it('carry on after a restart: a fresh instance on the same Redis continues a flow the others began', async () => {
    const a = instance();
    const b = instance();
    const pkce = await createPkce();
    const pending = await openSignIn(a, authorizeQuery(confidential, pkce.challenge));
    const code = codeOf(await decide(b, pending));

    const restarted = instance();
    const tokens = await tokensOf(await send(restarted, '/auth/token', codeTokenRequest(confidential, code, pkce.verifier)));
    expect((await send(instance(), '/fhir/Patient/smart-1', bearer(tokens.access_token))).status).toBe(200);
    const rotated = await tokensOf(await send(instance(), '/auth/token', refreshRequest(confidential, tokens.refresh_token!)));
    expect(await introspect(instance(), rotated.access_token)).toMatchObject({ active: true });
    await expectOAuthError(await send(instance(), '/auth/token', refreshRequest(confidential, tokens.refresh_token!)), 400, 'invalid_grant', /already used/);
  });

  it('leave no code, token, secret or id readable in Redis', async () => {
    expect(issued.size).toBeGreaterThan(20);
    const raw = new Redis(shared.server().url);
    try {
      const keys = await raw.keys('smart-*');
      expect(keys.length).toBeGreaterThan(20);
      const values = await Promise.all(
        keys.map(async (key) => ((await raw.type(key)) === 'set' ? (await raw.smembers(key)).join('\n') : ((await raw.get(key)) ?? ''))),
      );
      const dump = [...keys, ...values].join('\n');
      for (const secret of issued) expect(dump).not.toContain(secret);
      // Table names stay readable, what follows them is an HMAC.
      expect(keys.some((key) => key.startsWith(`${prefix}smart:refresh:`))).toBe(true);
      expect(keys.some((key) => key.startsWith(`${prefix}smart:pushed:`))).toBe(true);
    } finally {
      raw.disconnect();
    }
  });
});
