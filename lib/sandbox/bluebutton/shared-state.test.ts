import { describe, expect, it } from 'vitest';
import { withSharedRedis } from '@/test/shared-redis';
import { basicAuthorization, createTestClock } from '../shared/test-helpers';
import type { BlueButtonSandbox } from './index';
import { pendingField } from './pages';
import {
  authorizeQuery,
  bearer,
  codeTokenRequest,
  createPkce,
  createTestSandbox,
  formPost,
  getApp,
  parseForm,
  refreshRequest,
  send,
  submitForm,
  type TestApp,
  type TokenBody,
} from './test-helpers';

// Console instances behind a round-robin balancer: every request of a flow goes to the other instance than the one
// before, and each instance has its own connection to the one Redis they share.

const SECRET = 'b'.repeat(40);
const shared = withSharedRedis(SECRET);
const app = getApp('demo-demographic');
const otherApp = getApp('demo-no-demographic');
const clientAuth = { Authorization: basicAuthorization(app.clientId, app.clientSecret) };

/** Every code, token and session id the sandboxes handed out, to look for in Redis at the end. */
const issued = new Set<string>();
const keyPrefix = `bb${Math.random().toString(36).slice(2)}:`;

/** One console instance on the shared Redis (a fresh connection, as a restarted process has). */
function instance(clock: ReturnType<typeof createTestClock>): BlueButtonSandbox {
  const state = shared.state(keyPrefix, { commandTimeoutMs: 2000 });
  return createTestSandbox({ state, now: clock.now }).sandbox;
}

function twoInstances() {
  const clock = createTestClock();
  return { a: instance(clock), b: instance(clock), clock };
}

/** authorize on `a`, login on `b`, consent on `a`: the code from the redirect. */
async function authorizeAcross(a: BlueButtonSandbox, b: BlueButtonSandbox, options: { app?: TestApp; shareDemographic?: boolean } = {}) {
  const chosen = options.app ?? app;
  const pkce = await createPkce();
  const loginPage = await send(a, `/v2/o/authorize/?${authorizeQuery(chosen, pkce.challenge)}`);
  expect(loginPage.status).toBe(200);
  const loginHtml = await loginPage.text();
  issued.add(parseForm(loginHtml).hidden[pendingField] ?? '');
  const consentPage = await submitForm(b, new Response(loginHtml), { username: 'BBUser00000', password: 'PW00000!' });
  expect(consentPage.status).toBe(200);
  const consentHtml = await consentPage.text();
  expect(consentHtml).toContain('BBUser00000');
  const fields: Record<string, string> = { allow: 'True' };
  if (options.shareDemographic !== false) fields.share_demographic_scopes = 'True';
  const redirect = await submitForm(a, new Response(consentHtml), fields);
  expect(redirect.status).toBe(302);
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
  expect(code).toMatch(/^[A-Za-z0-9]{30}$/);
  issued.add(code);
  return { code, verifier: pkce.verifier, app: chosen, consentHtml };
}

async function tokensFrom(response: Response): Promise<TokenBody> {
  expect(response.status).toBe(200);
  const body = (await response.json()) as TokenBody;
  issued.add(body.access_token);
  issued.add(body.refresh_token);
  return body;
}

/** The whole flow across `a` and `b`, the token request on `b`. */
async function tokensAcross(a: BlueButtonSandbox, b: BlueButtonSandbox, options: { app?: TestApp; shareDemographic?: boolean } = {}) {
  const { code, verifier, app: chosen } = await authorizeAcross(a, b, options);
  return tokensFrom(await send(b, '/v2/o/token/', codeTokenRequest(chosen, code, verifier)));
}

describe('Blue Button on two instances sharing Redis', () => {
  it('runs authorize → login → consent → token → API → refresh → revoke, each step on the other instance', async () => {
    const { a, b } = twoInstances();
    const { code, verifier } = await authorizeAcross(a, b);
    const tokens = await tokensFrom(await send(b, '/v2/o/token/', codeTokenRequest(app, code, verifier)));
    expect(tokens.patient).toBe('-20140000000001');

    // The API and the OAuth helpers answer a token issued by the other instance.
    const patient = await send(a, `/v2/fhir/Patient/${tokens.patient}`, bearer(tokens.access_token));
    expect(patient.status).toBe(200);
    expect(((await patient.json()) as { id: string }).id).toBe(tokens.patient);
    expect((await send(b, '/v2/connect/userinfo', bearer(tokens.access_token))).status).toBe(200);
    const introspected = await send(a, '/v2/o/introspect/', formPost({ token: tokens.access_token }, clientAuth));
    expect(await introspected.json()).toMatchObject({ active: true, patient: tokens.patient });

    // Refresh on b rotates: a refuses the old refresh token and the old access token.
    const refreshed = await tokensFrom(await send(b, '/v2/o/token/', refreshRequest(app, tokens.refresh_token)));
    const reused = await send(a, '/v2/o/token/', refreshRequest(app, tokens.refresh_token));
    expect(reused.status).toBe(400);
    expect(await reused.text()).toBe('{"error": "invalid_grant"}');
    expect((await send(b, '/v2/fhir/ExplanationOfBenefit/', bearer(tokens.access_token))).status).toBe(401);
    expect((await send(a, '/v2/fhir/ExplanationOfBenefit/', bearer(refreshed.access_token))).status).toBe(200);

    // Revoking on b is seen by a.
    const revoked = await send(b, '/v2/o/revoke_token/', formPost({ token: refreshed.refresh_token, token_type_hint: 'refresh_token' }, clientAuth));
    expect(revoked.status).toBe(200);
    expect((await send(a, '/v2/fhir/Coverage/', bearer(refreshed.access_token))).status).toBe(401);
    expect((await send(b, '/v2/o/token/', refreshRequest(app, refreshed.refresh_token))).status).toBe(400);
  });

  it('lets expire_authenticated_user on one instance remove the grant for the other', async () => {
    const { a, b } = twoInstances();
    const tokens = await tokensAcross(a, b);
    const path = `/v2/o/expire_authenticated_user/${tokens.patient}/`;
    expect((await send(a, path, { method: 'POST', headers: clientAuth })).status).toBe(200);
    const again = await send(b, path, { method: 'POST', headers: clientAuth });
    expect(again.status).toBe(404);
    expect(await again.text()).toBe('Data Access Grant was Not Found.');
    expect((await send(a, '/v2/fhir/ExplanationOfBenefit/', bearer(tokens.access_token))).status).toBe(403);
    const refresh = await send(b, '/v2/o/token/', refreshRequest(app, tokens.refresh_token));
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('revokes on one instance an access token alone: its refresh token still works on the other', async () => {
    const { a, b } = twoInstances();
    const tokens = await tokensAcross(a, b);
    expect((await send(a, '/v2/o/revoke_token/', formPost({ token: tokens.access_token }, clientAuth))).status).toBe(200);
    expect((await send(b, '/v2/fhir/Coverage/', bearer(tokens.access_token))).status).toBe(401);
    await tokensFrom(await send(a, '/v2/o/token/', refreshRequest(app, tokens.refresh_token)));
  });

  it('redeems a code once when both instances race for it, and a later replay revokes its tokens', async () => {
    const { a, b } = twoInstances();
    const { code, verifier } = await authorizeAcross(a, b);
    const raced = await Promise.all([
      send(a, '/v2/o/token/', codeTokenRequest(app, code, verifier)),
      send(b, '/v2/o/token/', codeTokenRequest(app, code, verifier)),
    ]);
    expect(raced.map((response) => response.status).sort()).toEqual([200, 400]);

    // Sequentially: the code redeemed on b, replayed on a, and b no longer honours what it issued.
    const second = await authorizeAcross(b, a);
    const tokens = await tokensFrom(await send(b, '/v2/o/token/', codeTokenRequest(app, second.code, second.verifier)));
    const replay = await send(a, '/v2/o/token/', codeTokenRequest(app, second.code, second.verifier));
    expect(replay.status).toBe(400);
    expect((await send(b, '/v2/fhir/Coverage/', bearer(tokens.access_token))).status).toBe(401);
    expect((await send(a, '/v2/o/token/', refreshRequest(app, tokens.refresh_token))).status).toBe(400);
  });

  it('refreshes once when both instances race with one refresh token', async () => {
    const { a, b } = twoInstances();
    const tokens = await tokensAcross(a, b);
    const raced = await Promise.all([
      send(a, '/v2/o/token/', refreshRequest(app, tokens.refresh_token)),
      send(b, '/v2/o/token/', refreshRequest(app, tokens.refresh_token)),
    ]);
    expect(raced.map((response) => response.status).sort()).toEqual([200, 400]);
    const winner = raced.find((response) => response.status === 200);
    await tokensFrom(winner ?? new Response(null, { status: 500 }));
  });

  it('answers one consent per authorization, whichever instance gets the form twice', async () => {
    const { a, b } = twoInstances();
    const { consentHtml } = await authorizeAcross(a, b);
    const resubmitted = await submitForm(b, new Response(consentHtml), { allow: 'True', share_demographic_scopes: 'True' });
    expect(resubmitted.status).toBe(400);
    expect(await resubmitted.text()).toContain('expired or was already completed');
  });

  it("revokes on one instance, at a consent without demographics, the app's earlier tokens issued on the other", async () => {
    const { a, b } = twoInstances();
    const first = await tokensAcross(a, b);
    // A second consent for the same app and beneficiary, this time without demographics, on the other instances.
    await tokensAcross(b, a, { shareDemographic: false });
    expect((await send(a, '/v2/fhir/Coverage/', bearer(first.access_token))).status).toBe(401);
    expect((await send(b, '/v2/o/token/', refreshRequest(app, first.refresh_token))).status).toBe(400);
    // Another app's tokens for the same beneficiary are untouched.
    const others = await tokensAcross(a, b, { app: otherApp });
    await tokensAcross(b, a, { shareDemographic: false });
    expect((await send(b, '/v2/fhir/Coverage/', bearer(others.access_token))).status).toBe(200);
  });

  it('lets a restarted instance (a fresh process on the same Redis) continue a flow', async () => {
    const { a, b, clock } = twoInstances();
    const pkce = await createPkce();
    const loginPage = await send(a, `/v2/o/authorize/?${authorizeQuery(app, pkce.challenge)}`);
    const restarted = instance(clock);
    const consentPage = await submitForm(restarted, loginPage, { username: 'BBUser00000', password: 'PW00000!' });
    const redirect = await submitForm(b, consentPage, { allow: 'True', share_demographic_scopes: 'True' });
    const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
    issued.add(code);
    const tokens = await tokensFrom(await send(instance(clock), '/v2/o/token/', codeTokenRequest(app, code, pkce.verifier)));
    const again = instance(clock);
    expect((await send(again, '/v2/fhir/Coverage/', bearer(tokens.access_token))).status).toBe(200);
    await tokensFrom(await send(again, '/v2/o/token/', refreshRequest(app, tokens.refresh_token)));
  });

  it('keeps no code, token or session id in plain text in Redis', async () => {
    expect(issued.size).toBeGreaterThan(20);
    const text = await shared.dump(keyPrefix);
    expect(text.length).toBeGreaterThan(0);
    for (const secret of issued) {
      expect(secret.length).toBeGreaterThan(0);
      expect(text).not.toContain(secret);
    }
    // The key names tell tables apart, never the codes or tokens they hold.
    expect(text).toContain(`${keyPrefix}bluebutton:refresh:`);
  });
});
