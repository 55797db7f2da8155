import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { withSharedRedis } from '@/test/shared-redis';
import { createTestClock } from '../shared/test-helpers';
import { createOneUpHealthSandbox, type OneUpHealthSandbox, type OneUpHealthSandboxOptions } from './index';
import { bearer, bulkBase, getKeycloakToken, getPreset, parseForm, redirectUri, send, testBase, toSandboxPath, type Bundle } from './test-helpers';

// Instances of the console behind a round-robin balancer share one Redis: every request of a flow goes to the other one.
const SECRET = 's'.repeat(40);
const shared = withSharedRedis(SECRET);
const app = getPreset('patient-access');
const jason = { memberId: '08-testmemid', password: 'Argonaut1986!' };
const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };
const bulkHeaders = { Accept: 'application/fhir+json', Prefer: 'respond-async' };
const certsPath = '/auth/realms/dev-portal/protocol/openid-connect/certs';

interface TokenBody {
  access_token: string;
  refresh_token: string;
  patient?: string;
  id_token?: string;
}

/** Instances sharing one Redis prefix (a fresh one per test), as consoles sharing `REDIS_URL` and the session secret. */
function cluster(options: Omit<OneUpHealthSandboxOptions, 'state'> = {}) {
  const keyPrefix = `1up-${Math.random().toString(36).slice(2)}:`;
  const instance = () => {
    const state = shared.state(keyPrefix);
    return createOneUpHealthSandbox({ redirectUris: [redirectUri], ...options, state });
  };
  return { a: instance(), b: instance(), instance, keyPrefix };
}

function postForm(sandbox: OneUpHealthSandbox, path: string, fields: Record<string, string>) {
  return send(sandbox, path, { method: 'POST', headers: formHeaders, body: new URLSearchParams(fields).toString() });
}

const authorizeQuery = new URLSearchParams({
  client_id: app.clientId,
  redirect_uri: redirectUri,
  response_type: 'code',
  scope: 'user/*.read launch/patient openid',
  state: 'state-1234567890abcdef',
}).toString();

/** The authorize page on `first`, sign-in on `second`: the consent form to answer. */
async function signIn(first: OneUpHealthSandbox, second: OneUpHealthSandbox) {
  const page = await send(first, `/oauth2/authorize/test?${authorizeQuery}`);
  expect(page.status).toBe(200);
  const login = parseForm(await page.text());
  const consentPage = await postForm(second, login.action, { ...login.fields, member_id: jason.memberId, password: jason.password });
  expect(consentPage.status).toBe(200);
  const html = await consentPage.text();
  expect(html).toContain('Share your records?');
  return { consent: parseForm(html), transaction: login.fields.transaction ?? '' };
}

function exchange(sandbox: OneUpHealthSandbox, code: string) {
  return postForm(sandbox, '/oauth2/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: app.clientId,
    client_secret: app.clientSecret,
  });
}

function refresh(sandbox: OneUpHealthSandbox, refreshToken: string) {
  return postForm(sandbox, '/oauth2/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: app.clientId,
    client_secret: app.clientSecret,
  });
}

const readPatients = (sandbox: OneUpHealthSandbox, token: string) => send(sandbox, '/r4/Patient', { headers: { Authorization: `Bearer ${token}` } });

describe('1upHealth Patient Access on shared state', () => {
  it('runs authorize, sign-in, consent, token, FHIR and refresh alternating instances, and after a restart', async () => {
    const clock = createTestClock();
    const { a, b, instance } = cluster({ now: clock.now });
    const { consent } = await signIn(a, b);
    const redirect = await postForm(a, consent.action, { ...consent.fields, decision: 'allow' });
    expect(redirect.status).toBe(302);
    const back = new URL(redirect.headers.get('location') ?? '');
    expect(back.searchParams.get('state')).toBe('state-1234567890abcdef');
    const code = back.searchParams.get('code') ?? '';

    const response = await exchange(b, code);
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as TokenBody;
    const patients = (await (await readPatients(a, tokens.access_token)).json()) as Bundle;
    expect(patients.entry?.[0]?.resource.id).toBe(tokens.patient);

    // The id_token B signed verifies with A's JWKS.
    const certsOfA = (await (await send(a, '/oauth2/certs')).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(tokens.id_token ?? '', createLocalJWKSet(certsOfA), {
      issuer: testBase,
      audience: app.clientId,
      currentDate: new Date(clock.now()),
    });
    expect(payload.sub).toBe(tokens.patient);

    // 1up does not rotate refresh tokens: the same one comes back, and keeps working on every instance.
    clock.advance(7200_000);
    expect((await readPatients(b, tokens.access_token)).status).toBe(401);
    const refreshed = (await (await refresh(a, tokens.refresh_token)).json()) as TokenBody;
    expect(refreshed.refresh_token).toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect((await readPatients(b, refreshed.access_token)).status).toBe(200);

    const restarted = instance();
    expect((await readPatients(restarted, refreshed.access_token)).status).toBe(200);
    const again = await refresh(restarted, tokens.refresh_token);
    expect(again.status).toBe(200);
  });

  it('spends the sign-in on one instance for the other, and answers two consents at once only once', async () => {
    const { a, b } = cluster();
    const first = await signIn(a, b);
    const denied = await postForm(a, first.consent.action, { ...first.consent.fields, decision: 'deny' });
    expect(new URL(denied.headers.get('location') ?? '').searchParams.get('error')).toBe('access_denied');
    expect((await postForm(b, first.consent.action, { ...first.consent.fields, decision: 'allow' })).status).toBe(400);

    const second = await signIn(b, a);
    const answers = await Promise.all([a, b].map((sandbox) => postForm(sandbox, second.consent.action, { ...second.consent.fields, decision: 'allow' })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([302, 400]);
  });

  it('redeems a code once when both instances race, and a replay on one revokes the tokens on the others', async () => {
    const { a, b, instance } = cluster();
    const { consent } = await signIn(a, b);
    const code = new URL((await postForm(a, consent.action, { ...consent.fields, decision: 'allow' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
    const raced = await Promise.all([exchange(a, code), exchange(b, code)]);
    expect(raced.map((response) => response.status).sort()).toEqual([200, 400]);
    const loser = raced.find((response) => response.status === 400);
    expect(await loser?.json()).toEqual({ error: 'invalid_grant', error_description: 'Authorization code has already been used' });

    const next = await signIn(b, a);
    const nextCode = new URL((await postForm(b, next.consent.action, { ...next.consent.fields, decision: 'allow' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = (await (await exchange(a, nextCode)).json()) as TokenBody;
    expect((await readPatients(b, tokens.access_token)).status).toBe(200);
    const replay = await exchange(b, nextCode);
    expect(await replay.json()).toEqual({ error: 'invalid_grant', error_description: 'Authorization code has already been used' });
    expect((await readPatients(a, tokens.access_token)).status).toBe(401);
    expect((await refresh(instance(), tokens.refresh_token)).status).toBe(400);
  });

  it('keeps no code, token, transaction or credential in Redis as plain text', async () => {
    const { a, b, keyPrefix } = cluster();
    const { consent, transaction } = await signIn(a, b);
    const code = new URL((await postForm(a, consent.action, { ...consent.fields, decision: 'allow' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = (await (await exchange(b, code)).json()) as TokenBody;
    const keycloakToken = await getKeycloakToken(a);
    const job = await send(b, `${bulkBase}/$export`, { headers: bearer(keycloakToken, bulkHeaders) });
    const jobId = job.headers.get('content-location')?.split('/').pop() ?? '';
    const dump = await shared.dump(keyPrefix);
    expect(dump.length).toBeGreaterThan(0);
    const provider = getPreset('provider-access');
    for (const secret of [
      code, transaction, tokens.access_token, tokens.refresh_token, jobId, app.clientId, app.clientSecret, provider.clientSecret,
      jason.memberId, jason.password, '"d"', tokens.id_token?.split('.')[2] ?? '',
    ]) {
      expect(secret.length).toBeGreaterThan(0);
      expect(dump).not.toContain(secret);
    }
  });
});

describe('1upHealth Keycloak and bulk export on shared state', () => {
  it('signs client-credentials tokens with one key: A’s token verifies with B’s certs and works on B', async () => {
    const clock = createTestClock();
    const { a, b } = cluster({ now: clock.now });
    const [fromA, fromB] = await Promise.all([getKeycloakToken(a), getKeycloakToken(b, 'payer-to-payer')]);
    const certsOfB = (await (await send(b, certsPath)).json()) as JSONWebKeySet;
    expect(certsOfB.keys).toHaveLength(1);
    expect(Object.keys(certsOfB.keys[0] ?? {})).toEqual(['kid', 'kty', 'alg', 'use', 'n', 'e']);
    await expect(jwtVerify(fromA, createLocalJWKSet(certsOfB), { currentDate: new Date(clock.now()) })).resolves.toBeDefined();
    expect(await (await send(a, certsPath)).json()).toEqual(certsOfB);
    expect((await send(b, `${bulkBase}/Group`, { headers: bearer(fromA) })).status).toBe(200);
    expect((await send(a, `${bulkBase}/Group`, { headers: bearer(fromB) })).status).toBe(200);
  });

  it('kicks off on one instance, reports status and serves files on the others, and keeps jobs to their client', async () => {
    const clock = createTestClock();
    const { a, b, instance } = cluster({ now: clock.now, jobDurationMs: () => 2000 });
    const token = await getKeycloakToken(a);
    const kickoff = await send(b, `${bulkBase}/$export`, { headers: bearer(token, bulkHeaders) });
    expect(kickoff.status).toBe(202);
    const statusPath = toSandboxPath(kickoff.headers.get('content-location') ?? '');

    clock.advance(1000);
    const running = await send(a, statusPath, { headers: bearer(token, bulkHeaders) });
    expect(running.status).toBe(202);
    expect(running.headers.get('x-progress')).toBe('50% complete');
    clock.advance(1000);
    const done = await send(b, statusPath, { headers: bearer(token, bulkHeaders) });
    expect(done.status).toBe(200);
    const manifest = (await done.json()) as { output: Array<{ type: string; url: string; count: number }> };
    expect(manifest.output.map((file) => file.type)).toEqual(['Patient', 'Coverage', 'ExplanationOfBenefit', 'Encounter']);

    const patients = await send(a, toSandboxPath(manifest.output[0]?.url ?? ''), { headers: bearer(token) });
    expect(patients.status).toBe(200);
    const lines = (await patients.text()).split('\n').filter((line) => line.length > 0);
    expect(lines).toHaveLength(manifest.output[0]?.count ?? -1);

    const restarted = instance();
    const coverage = await send(restarted, toSandboxPath(manifest.output[1]?.url ?? ''), { headers: bearer(token) });
    expect(coverage.status).toBe(200);
    await coverage.body?.cancel();

    // Another client's token sees the job as unknown, whichever instance it asks.
    const other = await getKeycloakToken(restarted, 'payer-to-payer');
    expect((await send(a, statusPath, { headers: bearer(other, bulkHeaders) })).status).toBe(404);
  });
});
