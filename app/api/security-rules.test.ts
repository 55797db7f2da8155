import { sealData } from 'iron-session';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_CALLER_HEADER } from '@/lib/http/internal-caller';
import { getVault } from '@/lib/session';
import { workspaceSchema } from '@/lib/smart/workspace';
import { readSessionCookie } from '@/lib/session/cookie';
import { resolveSessionPasswords } from '@/lib/session/secret';
import { builtinRedirectUris } from '@/lib/sandbox/redirect-uris';
import { grantOf, providers } from '@/lib/providers';
import { browserFetch, callRoute, ORIGIN, pageHeaders, startUpstream, type Listener } from '@/test/route-harness';
import { signInAtSandbox } from '@/test/sandbox-browser';
import * as fhirDownload from './fhir/[providerId]/download/route';
import * as fhirProxy from './fhir/[providerId]/route';
import * as authorize from './oauth/[providerId]/authorize/route';
import * as callback from './oauth/[providerId]/callback/route';
import * as introspect from './oauth/[providerId]/introspect/route';
import * as refresh from './oauth/[providerId]/refresh/route';
import * as token from './oauth/[providerId]/token/route';
import * as session from './session/route';
import * as flowErrors from './session/flow-errors/[providerId]/route';
import * as simulations from './session/simulations/[providerId]/route';
import * as smartDiscover from './smart/discover/route';
import * as smartKey from './smart/keys/[kid]/route';
import * as smartKeys from './smart/keys/route';
import * as smartProvider from './smart/providers/[customProviderId]/route';
import * as smartProviders from './smart/providers/route';
import * as smartRegister from './smart/register/route';

/**
 * SECURITY.md rules proven at the route handlers, with the built-in sandboxes on a counting loopback upstream:
 * CSRF refusals call no one (rule 3), the callback always returns to a fixed same-origin path (rule 7), forged or
 * retired-password cookies read as anonymous and logout empties the vault (rule 10), a code issued to one session
 * cannot be redeemed through another (rule 14).
 */

let upstream: Listener;
beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'f'.repeat(64);
  upstream = await startUpstream();
});
afterAll(() => upstream.close());

const bcdaToken = { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'extra-small' } };

async function sessionWithToken(): Promise<string> {
  const minted = await callRoute(token.POST as never, { path: '/api/oauth/bcda/token', params: { providerId: 'bcda' }, body: bcdaToken });
  expect(minted.response.status).toBe(200);
  return minted.cookie!;
}

/** The vault id of the session a cookie opens; null when its handle was ended. */
async function sidOf(cookie: string): Promise<string | null> {
  return getVault().openSessionHandle((await readSessionCookie(cookie, false, resolveSessionPasswords()))!.handle);
}

type Route = { name: string; method: string; handler: unknown; path: string; params: Record<string, string>; body?: unknown };
const stateChanging: Route[] = [
  { name: 'token', method: 'POST', handler: token.POST, path: '/api/oauth/bcda/token', params: { providerId: 'bcda' }, body: bcdaToken },
  { name: 'authorize', method: 'POST', handler: authorize.POST, path: '/api/oauth/bluebutton/authorize', params: { providerId: 'bluebutton' }, body: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'demo-demographic' } } },
  { name: 'refresh', method: 'POST', handler: refresh.POST, path: '/api/oauth/bcda/refresh', params: { providerId: 'bcda' } },
  { name: 'introspect', method: 'POST', handler: introspect.POST, path: '/api/oauth/bcda/introspect', params: { providerId: 'bcda' } },
  { name: 'FHIR proxy', method: 'POST', handler: fhirProxy.POST, path: '/api/fhir/bcda', params: { providerId: 'bcda' }, body: { environmentId: 'builtin', path: '/api/v2/metadata' } },
  { name: 'download', method: 'POST', handler: fhirDownload.POST, path: '/api/fhir/bcda/download', params: { providerId: 'bcda' }, body: { environmentId: 'builtin', path: '/data/1/x.ndjson' } },
  { name: 'simulations', method: 'PUT', handler: simulations.PUT, path: '/api/session/simulations/bcda', params: { providerId: 'bcda' }, body: { failures: [] } },
  { name: 'dismiss flow error', method: 'DELETE', handler: flowErrors.DELETE, path: '/api/session/flow-errors/bluebutton', params: { providerId: 'bluebutton' } },
  { name: 'logout', method: 'DELETE', handler: session.DELETE, path: '/api/session', params: {} },
  { name: 'discover', method: 'POST', handler: smartDiscover.POST, path: '/api/smart/discover', params: {}, body: { url: `${ORIGIN}/sandbox/smart/fhir` } },
  { name: 'save provider', method: 'POST', handler: smartProviders.POST, path: '/api/smart/providers', params: {}, body: { name: 'x', discoveryUrl: `${ORIGIN}/sandbox/smart/fhir`, clientId: 'x', config: { grant: 'client_credentials', clientAuth: 'private_key_jwt', pkce: 'none', scopes: [], launch: 'standalone' } } },
  { name: 'edit provider', method: 'PUT', handler: smartProvider.PUT, path: '/api/smart/providers/custom-abcdefghij', params: { customProviderId: 'custom-abcdefghij' }, body: {} },
  { name: 'delete provider', method: 'DELETE', handler: smartProvider.DELETE, path: '/api/smart/providers/custom-abcdefghij', params: { customProviderId: 'custom-abcdefghij' } },
  { name: 'register client', method: 'POST', handler: smartRegister.POST, path: '/api/smart/register', params: {}, body: { discoveryUrl: `${ORIGIN}/sandbox/smart/fhir`, grant: 'client_credentials', scopes: [] } },
  { name: 'add key', method: 'POST', handler: smartKeys.POST, path: '/api/smart/keys', params: {}, body: { action: 'generate', alg: 'ES384' } },
  { name: 'delete key', method: 'DELETE', handler: smartKey.DELETE, path: '/api/smart/keys/NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', params: { kid: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' } },
];
const csrfCases: [string, Record<string, string>][] = [
  ['no x-console-request header', { origin: ORIGIN, 'sec-fetch-site': 'same-origin' }],
  ['x-console-request other than 1', { 'x-console-request': 'true', origin: ORIGIN }],
  ['Sec-Fetch-Site cross-site', { 'x-console-request': '1', origin: ORIGIN, 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site same-site', { 'x-console-request': '1', origin: ORIGIN, 'sec-fetch-site': 'same-site' }],
  ['a foreign Origin', { 'x-console-request': '1', origin: 'https://evil.example' }],
  ['a look-alike Origin', { 'x-console-request': '1', origin: 'http://localhost:3000.evil.example' }],
  ['Origin null', { 'x-console-request': '1', origin: 'null' }],
  ['no Origin', { 'x-console-request': '1' }],
];

describe('SECURITY 3: CSRF', () => {
  it(`SECURITY 3: ${stateChanging.length} state-changing routes × ${csrfCases.length} forged requests → 403 csrf_rejected, no upstream call, nothing changed`, async () => {
    const cookie = await sessionWithToken();
    const sid = (await sidOf(cookie))!;
    const tokenBefore = await getVault().getToken(sid, 'bcda');
    const exchangesBefore = (await getVault().listExchanges(sid)).length;
    const hitsBefore = upstream.hits.length;
    const workspaceBefore = await getVault().getWorkspace('local', workspaceSchema);
    for (const route of stateChanging) {
      for (const [name, headers] of csrfCases) {
        const { response, json, cookie: setCookie } = await callRoute(route.handler as never, {
          method: route.method,
          path: route.path,
          params: route.params,
          body: route.body,
          headers: { ...headers, 'content-type': 'application/json' },
          cookie,
        });
        expect(response.status, `${route.name}: ${name}`).toBe(403);
        expect(json, `${route.name}: ${name}`).toMatchObject({ error: { code: 'csrf_rejected' } });
        expect(setCookie, `${route.name}: ${name}`).toBeUndefined();
      }
    }
    expect(upstream.hits.slice(hitsBefore)).toEqual([]);
    expect(await getVault().getToken(sid, 'bcda')).toEqual(tokenBefore);
    expect((await getVault().listExchanges(sid)).length).toBe(exchangesBefore);
    expect(await getVault().getWorkspace('local', workspaceSchema)).toEqual(workspaceBefore);
    // The same requests from the page itself go through (the check is not refusing everything).
    const ok = await callRoute(fhirProxy.POST as never, { path: '/api/fhir/bcda', params: { providerId: 'bcda' }, body: { environmentId: 'builtin', path: '/api/v2/metadata' }, cookie });
    expect(ok.response.status).toBe(200);
    expect(upstream.hits.length).toBeGreaterThan(hitsBefore);
  });
});

describe('SECURITY 7: redirects', () => {
  it('SECURITY 7: redirect_uri is the registered callback byte for byte, and the callback returns to a fixed same-origin path whatever returnTo says', async () => {
    const started = await callRoute(authorize.POST as never, {
      path: '/api/oauth/bluebutton/authorize',
      params: { providerId: 'bluebutton' },
      body: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'demo-demographic' } },
    });
    const redirectUri = new URL((started.json as { authorizeUrl: string }).authorizeUrl).searchParams.get('redirect_uri');
    expect(redirectUri).toBe(`${ORIGIN}/api/oauth/bluebutton/callback`);
    expect(builtinRedirectUris('bluebutton', { PORT: '3000' })).toContain(redirectUri);
    // The built-in authorization server matches it exactly too: one byte off and it never redirects.
    const authorizeUrl = new URL((started.json as { authorizeUrl: string }).authorizeUrl);
    for (const variant of [`${redirectUri}/`, `${redirectUri}?x=1`, redirectUri!.replace('callback', 'Callback'), redirectUri!.replace('localhost', 'LOCALHOST.')]) {
      const probe = new URL(authorizeUrl.pathname + authorizeUrl.search, upstream.origin);
      probe.searchParams.set('redirect_uri', variant);
      const answer = await fetch(probe, { redirect: 'manual' });
      expect(answer.status, variant).toBeGreaterThanOrEqual(400);
      expect(answer.headers.get('location'), variant).toBeNull();
    }

    const hostile = ['//evil.example', '/\\evil.example', '/%2F%2Fevil.example', '%2F%2Fevil.example', 'https://evil.example/', 'javascript:alert(1)', '/\t/evil.example', '\\\\evil.example'];
    // Each callback replaces the session's cookie handle (SECURITY 16): the next one goes with the new cookie.
    let cookie = started.cookie;
    for (const value of hostile) {
      const query = new URLSearchParams({ code: 'x', state: 'y', returnTo: value, return_to: value, next: value, redirect: value, redirect_uri: value });
      const called = await callRoute(callback.GET as never, { method: 'GET', path: `/api/oauth/bluebutton/callback?${query}`, params: { providerId: 'bluebutton' }, headers: {}, cookie });
      const { response } = called;
      cookie = called.cookie ?? cookie;
      expect(response.status, value).toBe(303);
      const location = new URL(response.headers.get('location')!);
      expect(location.origin, value).toBe(ORIGIN);
      expect(location.pathname, value).toBe('/');
      expect([...location.searchParams.keys()].sort(), value).toEqual(['flow', 'provider']);
      expect(location.searchParams.get('flow'), value).toBe('returned');
    }
  });
});

/** Every built-in provider's credential set that runs an authorization-code flow on its built-in sandbox. */
const authorizationCodePresets = providers.flatMap((provider) =>
  provider.environments.some((env) => env.kind === 'builtin')
    ? provider.presets
        .filter((preset) => preset.environments.includes('builtin') && grantOf(provider, preset.id).grantType === 'authorization_code')
        .map((preset) => ({ providerId: provider.id, presetId: preset.id, login: preset.sandboxUsers[0]! }))
    : [],
);

/** The session and transaction cookies an answer sets, as the browser sends them back. */
function cookiesSetBy(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

describe('SECURITY 14: codes bound to their browser', () => {
  it('derives the providers from the registry: every built-in authorization-code provider is covered', () => {
    const withCodeGrant = providers.filter(
      (p) => p.environments.some((env) => env.kind === 'builtin') && [p.grant, ...p.presets.map((preset) => preset.grant)].some((g) => g?.grantType === 'authorization_code'),
    );
    expect(new Set(authorizationCodePresets.map((p) => p.providerId))).toEqual(new Set(withCodeGrant.map((p) => p.id)));
    // HealthSherpa documents no PKCE: the case this guards.
    expect(authorizationCodePresets.map((p) => p.providerId)).toContain('healthsherpa');
    for (const { login } of authorizationCodePresets) expect(login, 'a sandbox login to sign in with').toBeDefined();
  });

  it.each(authorizationCodePresets)(
    'SECURITY 14: a $providerId code issued to session A and redeemed through session B fails: no token lands in B ($presetId)',
    async ({ providerId, presetId, login }) => {
      const authorizeBody = { environmentId: 'builtin', credential: { kind: 'preset', presetId } };
      const start = () => callRoute(authorize.POST as never, { path: `/api/oauth/${providerId}/authorize`, params: { providerId }, body: authorizeBody });

      // Session A signs in at the sandbox; its code is taken before A's callback ever runs (a leaked code).
      const runA = await start();
      expect(runA.response.status, JSON.stringify(runA.json)).toBe(200);
      const authorizeA = new URL((runA.json as { authorizeUrl: string }).authorizeUrl);
      const redirectA = await signInAtSandbox(browserFetch, authorizeA.toString(), login);
      const codeA = redirectA.searchParams.get('code');
      expect(codeA, redirectA.toString()).toBeTruthy();

      // Session B starts its own run; its callback gets A's code with B's own state (and the same issuer).
      const runB = await start();
      const authorizeB = new URL((runB.json as { authorizeUrl: string }).authorizeUrl);
      // A pushed request (RFC 9126) keeps the state off the URL: B's own sign-in brings it back.
      const pushed = authorizeB.searchParams.has('request_uri');
      const stateB = pushed ? (await signInAtSandbox(browserFetch, authorizeB.toString(), login)).searchParams.get('state')! : authorizeB.searchParams.get('state')!;
      const injected = new URLSearchParams(redirectA.search);
      injected.set('state', stateB);
      const hitsBefore = upstream.hits.length;
      const { response, cookie: rotatedB } = await callRoute(callback.GET as never, {
        method: 'GET',
        path: `/api/oauth/${providerId}/callback?${injected}`,
        params: { providerId },
        headers: {},
        cookie: cookiesSetBy(runB.response),
      });
      expect(response.status).toBe(303);
      // Session B under the id the callback gave it (rule 16: the cookie from before the callback opens nothing).
      const sidB = (await sidOf(rotatedB!))!;
      expect(await sidOf(runB.cookie!)).toBeNull();

      // The token request was made (state and issuer passed) and the provider refused it.
      expect(upstream.hits.slice(hitsBefore).filter((hit) => hit.startsWith('POST '))).toHaveLength(1);
      const recorded = await getVault().listExchanges(sidB);
      expect(recorded.filter((e) => e.kind === 'par').map((e) => e.status)).toEqual(pushed ? [201] : []);
      const exchanges = recorded.filter((e) => e.kind !== 'par');
      // B's own run: its browser legs (the authorize URL it was given, the callback it came back by) and the refused exchange.
      expect(exchanges.map((e) => [e.kind, e.status])).toEqual([['authorize', null], ['callback', 303], ['token', expect.any(Number)]]);
      expect(exchanges[1]!.url).not.toContain(codeA);
      expect(exchanges[1]!.url).toContain(`state=${stateB}`);
      expect(exchanges[2]!.status, exchanges[2]!.response?.body ?? '').toBeGreaterThanOrEqual(400);
      expect(await getVault().getToken(sidB, providerId)).toBeNull();
      const [failure] = await getVault().listFlowErrors(sidB, [providerId]);
      expect(failure?.error.error.code).toBe('upstream_rejected');

      // The same flow completes in the browser it belongs to: a third run's own code lands in its own session.
      const runC = await start();
      const redirectC = await signInAtSandbox(browserFetch, (runC.json as { authorizeUrl: string }).authorizeUrl, login);
      const own = await callRoute(callback.GET as never, { method: 'GET', path: `/api/oauth/${providerId}/callback${redirectC.search}`, params: { providerId }, headers: {}, cookie: cookiesSetBy(runC.response) });
      expect(own.response.status).toBe(303);
      expect(await getVault().getToken((await sidOf(own.cookie!))!, providerId)).not.toBeNull();
    },
  );
});

describe('SECURITY 10: session integrity', () => {
  it('SECURITY 10: a tampered cookie or one sealed with a retired password reads as anonymous (clear 4xx JSON, never 500) and gets a new sid', async () => {
    const cookie = await sessionWithToken();
    const sid = (await sidOf(cookie))!;
    const [name, value] = cookie.split('=') as [string, string];
    const flipped = value.slice(0, 40) + (value[40] === 'A' ? 'B' : 'A') + value.slice(41);
    const retired = await sealData({ sid, createdAt: Date.now() }, { password: { '1': 'a-retired-password-of-32-characters-or-more' }, ttl: 3600 });
    for (const forged of [`${name}=${flipped}`, `${name}=${retired}`, `${name}=${value.slice(0, -10)}`, `${name}=not-a-seal`]) {
      const read = await callRoute(session.GET as never, { method: 'GET', path: '/api/session', headers: {}, cookie: forged });
      expect(read.response.status).toBe(200);
      expect(read.json).toMatchObject({ tokens: [], exchanges: [] });
      const use = await callRoute(refresh.POST as never, { path: '/api/oauth/bcda/refresh', params: { providerId: 'bcda' }, cookie: forged });
      expect(use.response.status).toBe(404);
      expect(use.json).toMatchObject({ error: { code: 'no_token' } });
      expect(await sidOf(use.cookie!)).not.toBe(sid);
    }
    // The real session is untouched.
    expect(await getVault().getToken(sid, 'bcda')).not.toBeNull();
  });

  it('SECURITY 10: logout deletes the vault entry and clears the cookie; the old cookie then finds nothing and a new session gets a new sid', async () => {
    const cookie = await sessionWithToken();
    const sid = (await sidOf(cookie))!;
    await callRoute(fhirProxy.POST as never, { path: '/api/fhir/bcda', params: { providerId: 'bcda' }, body: { environmentId: 'builtin', path: '/api/v2/metadata' }, cookie });
    expect((await getVault().listExchanges(sid)).length).toBeGreaterThan(0);

    const out = await callRoute(session.DELETE as never, { method: 'DELETE', path: '/api/session', headers: pageHeaders, cookie });
    expect(out.response.status).toBe(200);
    expect(out.response.headers.getSetCookie().join()).toMatch(/console_session=;.*Max-Age=0/);
    expect(await getVault().getToken(sid, 'bcda')).toBeNull();
    expect(await getVault().listExchanges(sid)).toEqual([]);
    const replayed = await callRoute(session.GET as never, { method: 'GET', path: '/api/session', headers: {}, cookie });
    expect(replayed.json).toMatchObject({ tokens: [], exchanges: [] });
    expect(await sidOf(await sessionWithToken())).not.toBe(sid);
  });

  it('SECURITY 16: the OAuth callback replaces the session id: the cookie from before the login opens nothing afterwards, the session keeps its tokens', async () => {
    const before = await sessionWithToken();
    const sid = (await sidOf(before))!;
    const started = await callRoute(authorize.POST as never, {
      path: '/api/oauth/bluebutton/authorize',
      params: { providerId: 'bluebutton' },
      body: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'demo-demographic' } },
      cookie: before,
    });
    expect(started.response.status).toBe(200);
    const back = await callRoute(callback.GET as never, { method: 'GET', path: '/api/oauth/bluebutton/callback?code=x&state=y', params: { providerId: 'bluebutton' }, headers: {}, cookie: before });
    expect(back.response.status).toBe(303);
    expect(back.cookie).toBeDefined();
    expect(back.cookie).not.toBe(before);
    expect(await sidOf(before)).toBeNull();
    expect(await sidOf(back.cookie!)).toBe(sid);

    const planted = await callRoute(session.GET as never, { method: 'GET', path: '/api/session', headers: {}, cookie: before });
    expect(planted.json).toMatchObject({ sessionTag: null, tokens: [] });
    const kept = await callRoute(session.GET as never, { method: 'GET', path: '/api/session', headers: {}, cookie: back.cookie });
    expect((kept.json as { tokens: { providerId: string }[] }).tokens.map((t) => t.providerId)).toContain('bcda');
  });

  it('SECURITY 16: logout ends the session id server-side: an old copy of the cookie opens nothing and takes no new token', async () => {
    const cookie = await sessionWithToken();
    const sid = (await sidOf(cookie))!;
    const out = await callRoute(session.DELETE as never, { method: 'DELETE', path: '/api/session', headers: pageHeaders, cookie });
    expect(out.response.status).toBe(200);
    expect(await sidOf(cookie)).toBeNull();

    const reused = await callRoute(token.POST as never, { path: '/api/oauth/bcda/token', params: { providerId: 'bcda' }, body: bcdaToken, cookie });
    expect(reused.response.status).toBe(200);
    expect(reused.cookie).toBeDefined();
    expect(reused.cookie).not.toBe(cookie);
    expect(await getVault().getToken(sid, 'bcda')).toBeNull();
    expect(await sidOf(reused.cookie!)).not.toBe(sid);
    const listed = await callRoute(session.GET as never, { method: 'GET', path: '/api/session', headers: {}, cookie });
    expect(listed.json).toMatchObject({ sessionTag: null, tokens: [], exchanges: [] });
  });
});

describe('SECURITY 16: one gate for everything', () => {
  const nextAuthSecret = 'a-next-auth-secret-of-at-least-32-chars';
  const user = { issuer: 'http://127.0.0.1:4455', subject: 'alice', providerId: 'oidc', name: 'Alice', email: null, signedInAt: 1_000 };
  const signInEnv = {
    CONSOLE_AUTH_OIDC_ISSUER: user.issuer,
    CONSOLE_AUTH_OIDC_CLIENT_ID: 'console',
    CONSOLE_AUTH_OIDC_CLIENT_SECRET: 'idp-secret',
    NEXTAUTH_URL: ORIGIN,
    NEXTAUTH_SECRET: nextAuthSecret,
  };
  const withSignIn = async (run: () => Promise<void>) => {
    const saved = Object.fromEntries(Object.keys(signInEnv).map((name) => [name, process.env[name]]));
    Object.assign(process.env, signInEnv);
    try {
      await run();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  };

  it('SECURITY 16: with sign-in on, a built-in sandbox answers a signed-in browser and the console server, nobody else', async () => {
    await withSignIn(async () => {
      const signedIn = `next-auth.session-token=${await encode({ token: { ...user }, secret: nextAuthSecret })}`;
      const metadata = `${upstream.origin}/sandbox/bcda/api/v2/metadata`;
      const tokenUrl = `${upstream.origin}/sandbox/bcda/auth/token`;
      const before = upstream.hits.length;

      for (const attempt of [
        fetch(metadata),
        fetch(tokenUrl, { method: 'POST', headers: { authorization: `Basic ${Buffer.from('2462c96b-6427-4efb-aed7-118e20c2e997:825598c105bd1fe021c9eb9d41b30e82beb7a505a1184282e69891f76aa0a396dc9d20f35c9df4a5').toString('base64')}` } }),
        fetch(metadata, { headers: { [INTERNAL_CALLER_HEADER]: 'forged' } }),
        fetch(metadata, { headers: { cookie: `next-auth.session-token=${await encode({ token: { ...user }, secret: 'another-secret-of-at-least-32-characters' })}` } }),
      ]) {
        const refused = await attempt;
        expect(refused.status).toBe(401);
        expect((await refused.json()).error.code).toBe('sign_in_required');
      }
      expect(upstream.hits.length - before).toBe(4);

      expect((await fetch(metadata, { headers: { cookie: signedIn } })).status).toBe(200);
      // The console server's own calls carry its proof: a signed-in user's token request goes through.
      const minted = await callRoute(token.POST as never, {
        path: '/api/oauth/bcda/token',
        params: { providerId: 'bcda' },
        body: bcdaToken,
        headers: { ...pageHeaders, cookie: signedIn },
      });
      expect(minted.response.status).toBe(200);
      expect((minted.json as { token: { format: string } }).token.format).toBe('jwt');
    });
  });
});

describe('SECURITY 11: bad input gets a clear error', () => {
  it('SECURITY 11: a CR, LF or NUL in a FHIR request header is a 400 that says so, and calls no one', async () => {
    const cookie = await sessionWithToken();
    for (const value of ['application/fhir+json\r\nX-Injected: 1', 'a\nb', 'a\rb', 'a\u0000b']) {
      const before = upstream.hits.length;
      const sent = await callRoute(fhirProxy.POST as never, {
        path: '/api/fhir/bcda',
        params: { providerId: 'bcda' },
        body: { environmentId: 'builtin', path: '/api/v2/metadata', headers: { Accept: value } },
        cookie,
      });
      expect(sent.response.status, JSON.stringify(value)).toBe(400);
      expect((sent.json as { error: { code: string; message: string } }).error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('line break') });
      expect(upstream.hits.length).toBe(before);
    }
    const badName = await callRoute(fhirProxy.POST as never, {
      path: '/api/fhir/bcda',
      params: { providerId: 'bcda' },
      body: { environmentId: 'builtin', path: '/api/v2/metadata', headers: { 'Accept\r\nX': 'a' } },
      cookie,
    });
    expect(badName.response.status).toBe(400);
    expect((badName.json as { error: { message: string } }).error.message).toContain('header name');
  });
});
