import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntendedConfiguration } from '@/lib/contract/smart';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault } from '@/lib/session/vault';
import { customProviderToProvider, type CustomProviderRecord } from '@/lib/smart/custom-provider';
import { discoverServer, type DiscoveryResult } from '@/lib/smart/discovery';
import { catchHttpError } from '@/test/http-error';
import { generateClientKey, publicJwks } from '@/lib/smart/client-keys';
import { startRealAuthorizationServer, type RealAuthorizationServer } from '@/test/real-as';
import { completeAuthorization, startAuthorization } from './authorization-code';
import { resolveFlow, type ResolvedFlow } from './flow';
import { getClientCredentialsToken } from './token-service';

/**
 * The console's DPoP (RFC 9449) and PAR (RFC 9126) against a real authorization server: panva's oidc-provider with
 * its `dPoP` feature (a nonce required on every proof) and `pushedAuthorizationRequests`, started on loopback by
 * test/real-as.ts. What it accepts and refuses is the package's own.
 */

let as: RealAuthorizationServer;
let discovery: DiscoveryResult;
beforeAll(async () => {
  as = await startRealAuthorizationServer();
  discovery = await discoverServer(as.issuer, { allowLoopback: true });
}, 15_000);
afterAll(() => as?.stop());

async function register(metadata: Record<string, unknown>): Promise<{ clientId: string; clientSecret: string }> {
  const response = await fetch(discovery.server!.registration_endpoint!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
  const body = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(body)).toBe(201);
  return { clientId: String(body.client_id), clientSecret: String(body.client_secret) };
}

function session() {
  return { vault: new SessionVault(new MemoryVaultStore(), { '1': 'r'.repeat(32) }), sid: `sid-${Math.random().toString(36).slice(2)}` };
}

/** A custom provider as the console saves it, on this loopback server (the tests' seam: loopback is allowed). */
function flowFor(client: { clientId: string; clientSecret: string }, config: IntendedConfiguration, tweak: (flow: ResolvedFlow) => ResolvedFlow = (f) => f): ResolvedFlow {
  const record: CustomProviderRecord = {
    id: 'custom-realserver',
    name: 'oidc-provider',
    discoveryUrl: as.issuer,
    fhirBaseUrl: `${as.issuer}/fhir`,
    environmentKind: 'sandbox',
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    config,
    server: discovery.server!,
    findings: [],
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
  const provider = customProviderToProvider(record);
  provider.environments[0]!.userSupplied = false;
  return tweak(resolveFlow(provider, 'discovered', { kind: 'preset', presetId: 'saved' }));
}

const backend: IntendedConfiguration = { grant: 'client_credentials', clientAuth: 'client_secret_basic', pkce: 'none', scopes: ['system/Patient.rs'], launch: 'standalone', dpop: true };

describe('discovery of a DPoP and PAR server', () => {
  it('reads dpop_signing_alg_values_supported and the pushed authorization request endpoint', () => {
    expect(discovery.server).toMatchObject({
      dpop_signing_alg_values_supported: expect.arrayContaining(['ES256']),
      pushed_authorization_request_endpoint: `${as.issuer}/request`,
    });
  });
});

describe('client credentials with DPoP at oidc-provider', () => {
  it('meets the nonce challenge, answers it once, and gets a DPoP token; the next request carries the nonce at once', async () => {
    const client = await register({ grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic', scope: 'system/Patient.rs' });
    const ctx = session();
    const flow = flowFor(client, backend);
    const { token } = await getClientCredentialsToken(ctx, flow);
    expect(token.tokenType).toBe('DPoP');
    const key = await ctx.vault.getDpopKey(ctx.sid, flow.provider.id);
    // oidc-provider's tokens are opaque: the binding is on the server's side.
    expect(token.dpop).toMatchObject({ alg: 'ES256', jkt: key!.jkt, tokenJkt: null, proof: { answersNonceChallenge: true } });
    const exchanges = await ctx.vault.listExchanges(ctx.sid);
    expect(exchanges.map((e) => [e.status, JSON.parse(e.response?.body ?? '{}').error ?? null])).toEqual([
      [400, 'use_dpop_nonce'],
      [200, null],
    ]);
    expect(JSON.stringify(exchanges)).not.toContain(token.accessToken);

    await getClientCredentialsToken(ctx, flow, { forceNew: true });
    expect((await ctx.vault.listExchanges(ctx.sid)).map((e) => e.status)).toEqual([400, 200, 200]);
  });

  it('SMART Backend Services (private_key_jwt): the answer to the nonce challenge carries a new assertion, since the first one’s jti is spent', async () => {
    const key = await generateClientKey('ES384');
    const client = await register({
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES384',
      jwks: publicJwks([key]),
      scope: 'system/Patient.rs',
    });
    const ctx = session();
    const base = flowFor({ ...client, clientSecret: '' }, { ...backend, clientAuth: 'private_key_jwt', assertionAlg: 'ES384' });
    const flow = { ...base, credential: { ...base.credential, clientKey: key } };
    const { token } = await getClientCredentialsToken(ctx, flow);
    expect(token.tokenType).toBe('DPoP');
    expect(as.output.join('')).not.toContain('must only be used once');
    const exchanges = await ctx.vault.listExchanges(ctx.sid);
    expect(exchanges.map((e) => e.status)).toEqual([400, 200]);
    // The assertion shown with the token is the one the server accepted.
    expect(token.clientAssertion?.claims.aud).toBe(`${as.issuer}/token`);
  });

  it('explains the refusal of a client registered with dpop_bound_access_tokens when DPoP is off', async () => {
    const client = await register({
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'system/Patient.rs',
      dpop_bound_access_tokens: true,
    });
    const error = await catchHttpError(getClientCredentialsToken(session(), flowFor(client, { ...backend, dpop: false })));
    // oidc-provider answers only "grant request is invalid"; its log has the reason, and the console names the likely one.
    expect(error.message).toContain('invalid_grant: grant request is invalid');
    expect(error.extra.hint).toContain('dpop_bound_access_tokens that sends none');
    expect(error.extra.hint).toContain('turn DPoP on');
    expect(as.output.join('')).toContain('grant.error invalid_grant: DPoP proof JWT not provided');
  });

  it('explains a proof the server refuses: signed with an algorithm it does not take', async () => {
    const client = await register({ grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic', scope: 'system/Patient.rs' });
    // As if the server had advertised PS256: the console signs with it, and oidc-provider (ES256, EdDSA) refuses.
    const flow = flowFor(client, backend, (f) => ({ ...f, env: { ...f.env, environment: { ...f.env.environment, dpopSigningAlgs: ['PS256'] } } }));
    const error = await catchHttpError(getClientCredentialsToken(session(), flow));
    expect(error.message).toContain('refused the DPoP proof (400 invalid_dpop_proof: invalid DPoP key binding)');
    expect(error.extra.hint).toContain('dpop_signing_alg_values_supported');
  });
});

describe('pushed authorization requests at oidc-provider', () => {
  const redirectUri = 'http://localhost:3000/api/oauth/custom-realserver/callback';
  const appConfig: IntendedConfiguration = { grant: 'authorization_code', clientAuth: 'client_secret_basic', pkce: 'S256', scopes: ['openid', 'fhirUser'], launch: 'standalone', redirectUri };
  const appClient = (extra: Record<string, unknown> = {}) =>
    register({ grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_basic', scope: 'openid fhirUser', ...extra });

  it('pushes the request with the client’s authentication and a DPoP proof; the server takes the request_uri the browser carries', async () => {
    const ctx = session();
    const flow = flowFor(await appClient(), { ...appConfig, dpop: true });
    const run = await startAuthorization(ctx, flow, 'http://localhost:3000');
    const browser = new URL(run.authorizeUrl);
    expect(browser.origin + browser.pathname).toBe(`${as.issuer}/auth`);
    expect([...browser.searchParams.keys()]).toEqual(['client_id', 'request_uri']);
    expect(browser.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const par = (await ctx.vault.listExchanges(ctx.sid)).filter((e) => e.kind === 'par');
    // The nonce challenge first (every proof needs one here), then 201 with the reference.
    expect(par.map((e) => e.status)).toEqual([400, 201]);
    expect(par[1]!.dpop?.answersNonceChallenge).toBe(true);
    // The browser's first stop: oidc-provider accepted the reference and sends it to its login interaction.
    const authorize = await fetch(run.authorizeUrl, { redirect: 'manual' });
    expect(authorize.status).toBe(303);
    expect(authorize.headers.get('location')).toMatch(/\/interaction\//);
  });

  it('a client that must push is refused when the request goes through the browser, and the console says why', async () => {
    const ctx = session();
    const flow = flowFor(await appClient({ require_pushed_authorization_requests: true }), { ...appConfig, par: 'never' });
    const run = await startAuthorization(ctx, flow, 'http://localhost:3000');
    expect(new URL(run.authorizeUrl).searchParams.get('code_challenge_method')).toBe('S256');
    const authorize = await fetch(run.authorizeUrl, { redirect: 'manual' });
    const back = new URL(authorize.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    const error = await catchHttpError(completeAuthorization(ctx, flow.provider.id, back.searchParams, run.state, () => flow));
    expect(error.message).toContain('Pushed Authorization Request must be used');
    expect(error.extra.hint).toContain('require_pushed_authorization_requests');
  });
});
