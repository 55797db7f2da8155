import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { grantOf, providers } from '@/lib/providers';
import { toProviderDto } from '@/lib/providers/dto';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { providerSchema } from '@/lib/providers/schema';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault } from '@/lib/session/vault';
import { completeAuthorization, startAuthorization } from './authorization-code';
import { resolveFlow, type ResolvedFlow } from './flow';
import { demoProviderInput, startFormEndpoint } from './test-helpers';
import { catchHttpError } from '@/test/http-error';

/** A code the fake server redeems with an ID token whose nonce is the rest of the code. */
const nonceCodePrefix = 'nonce-code:';
const unsignedJwt = (claims: Record<string, unknown>) =>
  [{ alg: 'RS256', typ: 'JWT' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2ln';

/** A minimal rotating authorization server on loopback: counts token calls and remembers what it was sent. */
let origin = '';
let calls: URLSearchParams[] = [];
let close: () => Promise<void>;
beforeAll(async () => {
  ({ origin, calls, close } = await startFormEndpoint((form, request) => {
    // RFC 9126 §2.2: a pushed authorization request is answered with its reference.
    if (request.url?.endsWith('/par')) return { status: 201, json: { request_uri: `urn:ietf:params:oauth:request_uri:${calls.length}`, expires_in: 60 } };
    const code = form.get('code');
    if (code !== 'good-code' && !code?.startsWith(nonceCodePrefix)) {
      return { status: 400, json: { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid' } };
    }
    // A code issued with a nonce: the ID token carries it (OIDC Core §3.1.3.6), as the server saw it at authorize.
    const nonce = code.startsWith(nonceCodePrefix) ? code.slice(nonceCodePrefix.length) : undefined;
    const idToken = nonce === undefined ? {} : { id_token: unsignedJwt({ iss: origin, sub: 'patient-1', aud: 'client-1', iat: 1, exp: 4102444800, nonce }) };
    return { status: 200, json: { access_token: `at-${calls.length}-xxxxxxxx`, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt-${calls.length}-yyyyyyyy`, scope: 'openid', patient: '-1', ...idToken } };
  }, 30));
});
afterAll(() => close());

const providerInput = demoProviderInput();
const provider = providerSchema.parse(providerInput);

function setup() {
  const store = new MemoryVaultStore();
  const vault = new SessionVault(store, { '1': 'z'.repeat(32) });
  const sid = `sid-${Math.random().toString(36).slice(2)}`;
  const env = resolveEnvironment(provider, provider.environments[0]!, origin);
  const flow: ResolvedFlow = { provider, env, grant: provider.grant, credential: { kind: 'custom', label: 'mine', clientId: 'client-1', clientSecret: 'secret-1-abcdef' } };
  return { store, vault, sid, flow, ctx: { vault, sid } };
}

describe('startAuthorization', () => {
  it('SECURITY 5: PKCE is S256 only, fresh per run, and the verifier stays server-side until the token request', async () => {
    const { ctx, flow } = setup();
    const started = await startAuthorization(ctx, flow, 'http://localhost:3000');
    const url = new URL(started.authorizeUrl);
    expect(url.origin + url.pathname).toBe('http://localhost:3000/sandbox/demo/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'http://localhost:3000/api/oauth/demo/callback',
      scope: 'openid',
      state: started.state,
      code_challenge_method: 'S256',
    });
    expect(started.state.length).toBeGreaterThanOrEqual(22);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.authorizeUrl).not.toContain('secret-1');
    expect(url.searchParams.has('code_verifier')).toBe(false);

    // Fresh per run: another run gets another state and challenge.
    const again = new URL((await startAuthorization(ctx, flow, 'http://localhost:3000')).authorizeUrl);
    expect(again.searchParams.get('code_challenge')).not.toBe(url.searchParams.get('code_challenge'));
    expect(again.searchParams.get('state')).not.toBe(started.state);
    // The verifier first leaves the server in the token request, and it is the one the challenge was made of.
    await completeAuthorization(ctx, 'demo', { code: 'good-code', state: started.state }, started.state, () => flow);
    const verifier = calls.at(-1)!.get('code_verifier')!;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(url.searchParams.get('code_challenge'));
    // S256 or a stated refusal: a provider file cannot ask for `plain`.
    expect(providerSchema.safeParse({ ...providerInput, grant: { ...providerInput.grant, pkce: 'plain' } }).success).toBe(false);
  });

  it('SECURITY 14: every built-in provider’s authorization-code run carries PKCE S256, in every environment, whatever the provider documents', async () => {
    const runs = providers.flatMap((p) =>
      p.presets.flatMap((preset) =>
        grantOf(p, preset.id).grantType === 'authorization_code' ? preset.environments.map((environmentId) => ({ p, environmentId, credential: { kind: 'preset' as const, presetId: preset.id } })) : [],
      ),
    );
    const customRuns = providers
      .filter((p) => p.grant.grantType === 'authorization_code' && p.allowCustomCredentials)
      .flatMap((p) => p.environments.map((e) => ({ p, environmentId: e.id, credential: { kind: 'custom' as const, clientId: 'mine', clientSecret: 'my-secret' } })));
    // HealthSherpa documents no PKCE: the case this guards.
    expect(runs.map((r) => r.p.id)).toContain('healthsherpa');
    for (const { p, environmentId, credential } of [...runs, ...customRuns]) {
      const { ctx } = setup();
      const started = await startAuthorization(ctx, resolveFlow(p, environmentId, credential, origin), 'http://localhost:3000');
      const browserQuery = new URL(started.authorizeUrl).searchParams;
      // A pushed request (RFC 9126) carries the parameters server to server; the browser only its reference.
      const query = browserQuery.has('request_uri') ? calls.at(-1)! : browserQuery;
      expect(query.get('code_challenge_method'), `${p.id} ${environmentId} ${credential.kind}`).toBe('S256');
      expect(query.get('code_challenge'), `${p.id} ${environmentId}`).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(query.has('nonce')).toBe(false);
    }
  });

  it('SECURITY 14: a provider file opts out of PKCE only by stating that its server refuses it, and then names what binds the code', () => {
    const withPkce = (pkce: unknown, scopes = providerInput.grant.scopes) => providerSchema.safeParse({ ...providerInput, grant: { ...providerInput.grant, scopes, pkce } });
    expect(providerSchema.parse({ ...providerInput, grant: { ...providerInput.grant, pkce: undefined } }).grant.pkce).toBe('S256');
    expect(withPkce('none').success).toBe(false);
    expect(withPkce({ codeBinding: 'none' }, ['partner']).success).toBe(false);
    expect(withPkce({ serverRefusesPkce: true, reason: '', codeBinding: 'none' }, ['partner']).success).toBe(false);
    expect(withPkce({ serverRefusesPkce: true, reason: 'Answers invalid_request to code_challenge.', codeBinding: 'none' }, ['partner']).success).toBe(true);
    // The nonce needs an ID token (openid); with openid, the nonce it is.
    expect(withPkce({ serverRefusesPkce: true, reason: 'Refuses it.', codeBinding: 'oidc_nonce' }, ['partner']).success).toBe(false);
    expect(withPkce({ serverRefusesPkce: true, reason: 'Refuses it.', codeBinding: 'none' }, ['openid']).success).toBe(false);
    expect(withPkce({ serverRefusesPkce: true, reason: 'Refuses it.', codeBinding: 'oidc_nonce' }, ['openid']).success).toBe(true);
    // The page names the risk, or the nonce, and why there is no PKCE.
    const unbound = providerSchema.parse({ ...providerInput, grant: { ...providerInput.grant, scopes: ['partner'], pkce: { serverRefusesPkce: true, reason: 'Refuses it.', codeBinding: 'none' } } });
    expect(toProviderDto(unbound, true, 'http://localhost:3000').grant.codeBinding).toEqual({ method: 'none', pkceRefusal: 'Refuses it.', risk: expect.stringContaining('RFC 9700 §2.1.1') });
  });

  it('SECURITY 14: a provider that refuses PKCE and has openid gets a fresh nonce per run; an ID token with another run’s nonce is refused and nothing is kept', async () => {
    const refusing = providerSchema.parse({
      ...providerInput,
      grant: { ...providerInput.grant, pkce: { serverRefusesPkce: true, reason: 'Its authorize endpoint answers invalid_request to code_challenge.', codeBinding: 'oidc_nonce' } },
    });
    const { ctx, vault, sid, flow } = setup();
    const nonceFlow: ResolvedFlow = { ...flow, provider: refusing, grant: refusing.grant };
    const a = new URL((await startAuthorization(ctx, nonceFlow, 'http://localhost:3000')).authorizeUrl).searchParams;
    const b = new URL((await startAuthorization(ctx, nonceFlow, 'http://localhost:3000')).authorizeUrl).searchParams;
    expect(a.has('code_challenge')).toBe(false);
    expect(a.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.get('nonce')).not.toBe(a.get('nonce'));

    // Run B's callback with the code issued to run A (whose ID token carries A's nonce): refused, nothing kept.
    const before = calls.length;
    const injected = await catchHttpError(completeAuthorization(ctx, 'demo', { code: nonceCodePrefix + a.get('nonce'), state: b.get('state')! }, b.get('state')!, () => nonceFlow));
    expect(injected).toMatchObject({ code: 'state_mismatch', message: expect.stringContaining('nonce') });
    expect(calls.length - before).toBe(1);
    expect(calls.at(-1)!.has('code_verifier')).toBe(false);
    expect(await vault.getToken(sid, 'demo')).toBeNull();

    // A code whose ID token has no nonce at all is refused too; run A's own code passes.
    const c = new URL((await startAuthorization(ctx, nonceFlow, 'http://localhost:3000')).authorizeUrl).searchParams;
    expect((await catchHttpError(completeAuthorization(ctx, 'demo', { code: 'good-code', state: c.get('state')! }, c.get('state')!, () => nonceFlow))).code).toBe('state_mismatch');
    const token = await completeAuthorization(ctx, 'demo', { code: nonceCodePrefix + a.get('nonce'), state: a.get('state')! }, a.get('state')!, () => nonceFlow);
    expect(token.idToken?.claims.nonce).toBe(a.get('nonce'));
    expect((await vault.getToken(sid, 'demo'))?.accessToken).toBe(token.accessToken);
  });

  it('a provider that refuses PKCE without openid sends neither challenge nor nonce, and the page names the risk', async () => {
    const unbound = providerSchema.parse({
      ...providerInput,
      grant: { ...providerInput.grant, scopes: ['partner'], pkce: { serverRefusesPkce: true, reason: 'Refuses code_challenge.', codeBinding: 'none' } },
    });
    const { ctx, flow } = setup();
    const query = new URL((await startAuthorization(ctx, { ...flow, provider: unbound, grant: unbound.grant }, 'http://localhost:3000')).authorizeUrl).searchParams;
    expect(query.has('code_challenge')).toBe(false);
    expect(query.has('nonce')).toBe(false);
    expect(toProviderDto(unbound, true, 'http://localhost:3000').grant.codeBinding.method).toBe('none');
  });

  it('SECURITY 4: state is random (≥ 128 bits), different for every run', async () => {
    const { ctx, flow } = setup();
    const states = await Promise.all(Array.from({ length: 50 }, async () => (await startAuthorization(ctx, flow, 'http://localhost:3000')).state));
    expect(new Set(states).size).toBe(50);
    // ≥ 128 bits of base64url: at least 22 characters, the provider's minimum (Blue Button's 16) included.
    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });

  it('SECURITY 7: the token request carries the redirect_uri of the authorize request byte for byte, per provider', async () => {
    const { ctx, flow } = setup();
    const started = await startAuthorization(ctx, flow, 'http://localhost:3000');
    const sentAtAuthorize = new URL(started.authorizeUrl).searchParams.get('redirect_uri');
    expect(sentAtAuthorize).toBe('http://localhost:3000/api/oauth/demo/callback');
    await completeAuthorization(ctx, 'demo', { code: 'good-code', state: started.state }, started.state, () => flow);
    expect(calls.at(-1)!.get('redirect_uri')).toBe(sentAtAuthorize);
  });
});

describe('completeAuthorization', () => {
  const resolveWith = (flow: ResolvedFlow) => () => flow;

  it('exchanges the code with the verifier and the client secret, once', async () => {
    const { ctx, flow, vault, sid } = setup();
    const { state } = await startAuthorization(ctx, flow, 'http://localhost:3000');
    const token = await completeAuthorization(ctx, 'demo', { code: 'good-code', state }, state, resolveWith(flow));
    const sent = calls.at(-1)!;
    expect(sent.get('grant_type')).toBe('authorization_code');
    expect(sent.get('redirect_uri')).toBe('http://localhost:3000/api/oauth/demo/callback');
    expect(sent.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(token.refreshToken).toMatch(/^rt-/);
    expect(token.responseFacts).toEqual({ patient: '-1' });
    expect((await vault.getToken(sid, 'demo'))?.accessToken).toBe(token.accessToken);
    const replay = await catchHttpError(completeAuthorization(ctx, 'demo', { code: 'good-code', state }, state, resolveWith(flow)));
    expect(replay.message).toContain('already used');
  });

  it.each([
    [{ code: 'good-code' }, 'the-state', 'no state'],
    [{ code: 'good-code', state: 'forged-state-value' }, 'the-state', 'does not match'],
    [{ code: 'good-code', state: 'the-state' }, null, 'does not match'],
  ])('SECURITY 4: refuses %o (cookie state %s) before any token request', async (params, cookieState, message) => {
    const { ctx, flow } = setup();
    const before = calls.length;
    const error = await catchHttpError(completeAuthorization(ctx, 'demo', params, cookieState, resolveWith(flow)));
    expect(error.code).toBe('state_mismatch');
    expect(error.message).toContain(message);
    expect(calls.length).toBe(before);
  });

  it('SECURITY 4: a state is single use and bound to its session, provider and 10 minutes; each refusal sends no token request', async () => {
    const { ctx, flow, vault } = setup();
    const before = calls.length;
    // Replayed: the first callback spent it.
    const a = await startAuthorization(ctx, flow, 'http://localhost:3000');
    await completeAuthorization(ctx, 'demo', { code: 'good-code', state: a.state }, a.state, resolveWith(flow));
    const afterFirst = calls.length;
    expect(afterFirst - before).toBe(1);
    expect((await catchHttpError(completeAuthorization(ctx, 'demo', { code: 'good-code', state: a.state }, a.state, resolveWith(flow)))).message).toContain('already used');
    // Another session (same vault, same state and cookie value) finds nothing.
    const b = await startAuthorization(ctx, flow, 'http://localhost:3000');
    const otherSession = { vault, sid: `sid-other-${Math.random().toString(36).slice(2)}` };
    expect((await catchHttpError(completeAuthorization(otherSession, 'demo', { code: 'good-code', state: b.state }, b.state, resolveWith(flow)))).code).toBe('state_mismatch');
    // Another provider's callback cannot spend it.
    const c = await startAuthorization(ctx, flow, 'http://localhost:3000');
    expect((await catchHttpError(completeAuthorization(ctx, 'other', { code: 'good-code', state: c.state }, c.state, resolveWith(flow)))).code).toBe('state_mismatch');
    expect(calls.length).toBe(afterFirst);
  });

  it('SECURITY 4: an expired state (over 10 minutes) is refused with no token request', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { ctx, flow } = setup();
      const started = await startAuthorization(ctx, flow, 'http://localhost:3000');
      vi.setSystemTime(Date.now() + 11 * 60 * 1000);
      const before = calls.length;
      const expired = await catchHttpError(completeAuthorization(ctx, 'demo', { code: 'good-code', state: started.state }, started.state, resolveWith(flow)));
      expect(expired).toMatchObject({ code: 'state_mismatch', message: expect.stringContaining('expired') });
      expect(calls.length).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it('SECURITY 6: mix-up (RFC 9207): an iss other than where the request went is refused with no token request; the right iss passes', async () => {
    const { ctx, flow } = setup();
    // The built-in sandbox's issuer as the browser reached it: the console's public origin.
    const issuer = 'http://localhost:3000/sandbox/demo';
    const before = calls.length;
    for (const iss of ['https://evil.example', flow.env.baseUrl, `${issuer}/`, issuer.toUpperCase(), '']) {
      const run = await startAuthorization(ctx, flow, 'http://localhost:3000');
      const mixUp = await catchHttpError(completeAuthorization(ctx, 'demo', { code: 'good-code', state: run.state, iss }, run.state, resolveWith(flow)));
      expect(mixUp.code, iss).toBe('state_mismatch');
      expect(mixUp.message, iss).toContain('issuer');
    }
    expect(calls.length).toBe(before);
    // The issuer is the one stored with the pending run (per provider; the callback path is per provider too).
    const run = await startAuthorization(ctx, flow, 'http://localhost:3000');
    expect(new URL(run.redirectUri).pathname).toBe('/api/oauth/demo/callback');
    const token = await completeAuthorization(ctx, 'demo', { code: 'good-code', state: run.state, iss: issuer }, run.state, resolveWith(flow));
    expect(token.accessToken).toMatch(/^at-/);
  });

  it('refuses a callback that gives a parameter twice (oauth4webapi), with no token request', async () => {
    const { ctx, flow } = setup();
    const before = calls.length;
    for (const repeated of ['code', 'iss', 'error']) {
      const run = await startAuthorization(ctx, flow, 'http://localhost:3000');
      const search = new URLSearchParams({ code: 'good-code', state: run.state });
      if (repeated === 'iss') search.append('iss', 'http://localhost:3000/sandbox/demo');
      if (repeated === 'error') search.append('error', 'access_denied');
      search.append(repeated, repeated === 'code' ? 'other-code' : repeated === 'iss' ? 'https://evil.example' : 'server_error');
      const refused = await catchHttpError(completeAuthorization(ctx, 'demo', search, run.state, resolveWith(flow)));
      expect(refused.status, repeated).toBe(400);
    }
    expect(calls.length).toBe(before);
  });

  it('explains a denied consent and a refused code', async () => {
    const { ctx, flow } = setup();
    const a = await startAuthorization(ctx, flow, 'http://localhost:3000');
    const denied = await catchHttpError(completeAuthorization(ctx, 'demo', { error: 'access_denied', state: a.state }, a.state, resolveWith(flow)));
    expect(denied).toMatchObject({ status: 403, code: 'authorization_denied' });
    const b = await startAuthorization(ctx, flow, 'http://localhost:3000');
    const refused = await catchHttpError(completeAuthorization(ctx, 'demo', { code: 'bad-code', state: b.state }, b.state, resolveWith(flow)));
    expect(refused.code).toBe('upstream_rejected');
    expect(refused.extra.hint).toContain('PKCE verifier');
  });

  it('records the browser’s legs for the timeline and the diagram: the authorize URL as sent, the callback with its code redacted, before the token request; a refused one with why', async () => {
    const { ctx, flow, vault, sid } = setup();
    const run = await startAuthorization(ctx, flow, 'http://localhost:3000');
    const back = 'http://localhost:3000/?provider=demo&flow=returned';
    const url = `http://localhost:3000/api/oauth/demo/callback?code=good-code&state=${run.state}`;
    await completeAuthorization(ctx, 'demo', { code: 'good-code', state: run.state }, run.state, resolveWith(flow), { url, location: back });
    const [authorize, callback, token] = await vault.listExchanges(sid);
    expect(authorize).toMatchObject({ kind: 'authorize', providerId: 'demo', environmentId: flow.env.environment.id, method: 'GET', url: run.authorizeUrl, status: null, response: null });
    expect(authorize!.url).toContain('code_challenge_method=S256');
    expect(callback).toMatchObject({ kind: 'callback', environmentId: flow.env.environment.id, status: 303, response: { headers: [['location', back]] } });
    expect(callback!.url).not.toContain('good-code');
    expect(callback!.url).toContain(`state=${run.state}`);
    expect(callback!.error).toBeUndefined();
    expect(token?.kind).toBe('token');

    const denied = await startAuthorization(ctx, flow, 'http://localhost:3000');
    await catchHttpError(
      completeAuthorization(ctx, 'demo', { error: 'access_denied', state: denied.state }, denied.state, resolveWith(flow), { url: `http://localhost:3000/api/oauth/demo/callback?error=access_denied&state=${denied.state}`, location: back }),
    );
    const refused = (await vault.listExchanges(sid)).at(-1);
    expect(refused).toMatchObject({ kind: 'callback', status: 303 });
    expect(refused?.error).toContain('access_denied');
  });
});

describe('pushed authorization requests (RFC 9126)', () => {
  const resolveWith = (flow: ResolvedFlow) => () => flow;
  function pushingSetup(environment: Record<string, unknown> = {}, grant: Record<string, unknown> = {}) {
    const base = setup();
    const pushing = providerSchema.parse(demoProviderInput({ environment: { pushedAuthorizationPath: '/par', ...environment }, grant }));
    const flow: ResolvedFlow = { ...base.flow, provider: pushing, grant: pushing.grant, env: resolveEnvironment(pushing, pushing.environments[0]!, origin) };
    return { ...base, flow };
  }

  it('pushes every parameter with the client’s authentication, and sends the browser with client_id and request_uri only', async () => {
    const { ctx, flow, vault, sid } = pushingSetup();
    const run = await startAuthorization(ctx, flow, 'http://localhost:3000');
    const pushed = calls.at(-1)!;
    expect(Object.fromEntries(pushed)).toMatchObject({ response_type: 'code', client_id: 'client-1', redirect_uri: 'http://localhost:3000/api/oauth/demo/callback', scope: 'openid', state: run.state, code_challenge_method: 'S256' });
    expect(pushed.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // client_secret_basic: the secret goes in the header, never in the pushed form.
    expect(pushed.has('client_secret')).toBe(false);
    const browser = new URL(run.authorizeUrl);
    expect([...browser.searchParams.keys()]).toEqual(['client_id', 'request_uri']);
    expect(browser.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const [par, authorize] = await vault.listExchanges(sid);
    expect(par).toMatchObject({ kind: 'par', method: 'POST', status: 201 });
    expect(par!.request.headers).toContainEqual(['Authorization', 'Basic [redacted]']);
    expect(JSON.stringify(par)).not.toContain('secret-1-abcdef');
    expect(authorize).toMatchObject({ kind: 'authorize', url: run.authorizeUrl });
    // The code comes back as usual and is exchanged with the verifier of the pushed challenge.
    await completeAuthorization(ctx, 'demo', { code: 'good-code', state: run.state }, run.state, resolveWith(flow));
    expect(calls.at(-1)!.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  });

  it('explains a request_uri the server refused with how long it lived', async () => {
    const { ctx, flow } = pushingSetup();
    const run = await startAuthorization(ctx, flow, 'http://localhost:3000');
    const error = await catchHttpError(
      completeAuthorization(ctx, 'demo', { error: 'invalid_request_uri', error_description: 'request_uri has expired', state: run.state }, run.state, resolveWith(flow)),
    );
    expect(error.message).toContain('invalid_request_uri');
    expect(error.extra.hint).toContain('lived 60 s');
  });

  it('sends the browser with every parameter when told not to push, unless the server requires the push', async () => {
    const off = pushingSetup({}, { pushAuthorizationRequests: false });
    const run = await startAuthorization(off.ctx, off.flow, 'http://localhost:3000');
    expect(new URL(run.authorizeUrl).searchParams.get('code_challenge_method')).toBe('S256');
    const required = pushingSetup({ requirePushedAuthorizationRequests: true }, { pushAuthorizationRequests: false });
    const before = calls.length;
    const error = await catchHttpError(startAuthorization(required.ctx, required.flow, 'http://localhost:3000'));
    expect(error.message).toContain('require_pushed_authorization_requests');
    expect(calls.length).toBe(before);
  });

  it('skips the push on a built-in sandbox under the “PAR skipped” simulation, and explains the refusal that follows', async () => {
    const { ctx, flow } = pushingSetup();
    const before = calls.length;
    const run = await startAuthorization({ ...ctx, simulations: ['par_not_used'] }, flow, 'http://localhost:3000');
    expect(calls.length).toBe(before);
    expect(new URL(run.authorizeUrl).searchParams.has('request_uri')).toBe(false);
    const error = await catchHttpError(
      completeAuthorization(ctx, 'demo', { error: 'invalid_request', error_description: 'The client must push its authorization request to the PAR endpoint first', state: run.state }, run.state, resolveWith(flow)),
    );
    expect(error.extra.hint).toContain('require_pushed_authorization_requests');
  });
});
