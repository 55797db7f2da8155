import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { grantOf, providers } from '@/lib/providers';
import type { CredentialPreset, Provider } from '@/lib/providers/schema';
import { resolveFlow, type ResolvedFlow } from '@/lib/oauth/flow';
import { prepareTokenRequest } from '@/lib/oauth/client-authentication';
import { generateClientKey, publicJwks } from '@/lib/smart/client-keys';
import { browserFetch, ORIGIN } from '@/test/route-harness';
import { signInAtSandbox } from '@/test/sandbox-browser';
import { createDpopProof, dpopKeyFor } from '@/lib/oauth/dpop';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault } from '@/lib/session/vault';

/**
 * SECURITY.md rule 14 for the sandboxes themselves: every token and code a built-in sandbox issues is its own, even
 * for two identical requests in the same millisecond (a JWT made only of the caller's claims and the second it was
 * minted in would be the same string for both; Candid's was). The clock is frozen for the whole file, so "the same
 * millisecond" is exact. Derived from the provider registry: every credential set of every built-in sandbox.
 */

const frozenNow = Date.UTC(2026, 4, 14, 9, 30, 0, 250);
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: frozenNow });
});
afterAll(() => {
  vi.useRealTimers();
});

interface Issued {
  code?: string;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

function isJwt(value: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value);
}

async function send(request: { method: string; url: URL; headers: [string, string][]; body?: string }): Promise<Response> {
  return browserFetch(request.url.toString(), { method: request.method, headers: request.headers, body: request.method === 'GET' ? undefined : request.body });
}

async function tokenBody(response: Response): Promise<Issued> {
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as Issued;
}

const verifier = 'uniqueness-test-verifier-0123456789abcdefghijklmnopqrstuvwxyz';
const challenge = createHash('sha256').update(verifier).digest('base64url');

/** The same authorize request every time: fixed state, challenge and nonce. */
function authorizeUrl(flow: ResolvedFlow): string {
  const url = new URL(flow.env.authorizeUrl!);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: flow.credential.clientId,
    redirect_uri: `${ORIGIN}/api/oauth/${flow.provider.id}/callback`,
    scope: flow.grant.scopes.join(' '),
    state: 'uniqueness-test-state-0123456789',
    nonce: 'uniqueness-test-nonce-0123456789',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...flow.grant.authorizeParams,
  };
  if (flow.grant.smartAudience) params.aud = flow.env.fhirBaseUrl.toString();
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * The authorize URL the browser goes to: the request itself, or for a client that must push (RFC 9126) a reference to
 * the same request pushed with the client's authentication.
 */
async function browserAuthorizeUrl(flow: ResolvedFlow, preset: CredentialPreset): Promise<string> {
  const url = new URL(authorizeUrl(flow));
  if (!preset.sandboxRegistration.require_pushed_authorization_requests) return url.toString();
  // The client authenticates as at the token endpoint (RFC 9126 §2): this preset with HTTP Basic.
  const basic = Buffer.from(`${flow.credential.clientId}:${flow.credential.clientSecret}`).toString('base64');
  const pushed = await browserFetch(flow.env.pushedAuthorizationUrl!.toString(), {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: url.searchParams.toString(),
  });
  const answer = await pushed.text();
  expect(pushed.status, answer).toBe(201);
  const { request_uri } = JSON.parse(answer) as { request_uri: string };
  return `${url.origin}${url.pathname}?${new URLSearchParams({ client_id: flow.credential.clientId, request_uri })}`;
}

/** A DPoP proof for a token request of a client registered with dpop_bound_access_tokens (RFC 9449 §5.2). */
async function dpopHeader(flow: ResolvedFlow, preset: CredentialPreset): Promise<[string, string][]> {
  if (!preset.sandboxRegistration.dpop_bound_access_tokens) return [];
  const key = await dpopKeyFor({ vault: new SessionVault(new MemoryVaultStore(), { '1': 'u'.repeat(32) }), sid: 's' }, flow.provider.id, 'ES256');
  return [['DPoP', (await createDpopProof(key, { method: 'POST', url: flow.env.tokenUrl })).proof]];
}

/** One run of the preset's grant: a client-credentials token, or sign-in → code → token exchange. */
async function issue(flow: ResolvedFlow, preset: CredentialPreset): Promise<Issued> {
  if (flow.grant.grantType === 'client_credentials') return tokenBody(await send((await prepareTokenRequest(flow)).request));
  const redirect = await signInAtSandbox(browserFetch, await browserAuthorizeUrl(flow, preset), preset.sandboxUsers[0]!);
  const code = redirect.searchParams.get('code');
  expect(code, redirect.toString()).toBeTruthy();
  const exchange = await prepareTokenRequest(flow, {
    grant_type: 'authorization_code',
    code: code!,
    redirect_uri: `${ORIGIN}/api/oauth/${flow.provider.id}/callback`,
    code_verifier: verifier,
  });
  const request = { ...exchange.request, headers: [...exchange.request.headers, ...(await dpopHeader(flow, preset))] };
  return { code: code!, ...(await tokenBody(await send(request))) };
}

/** Every secret a run produced, each JWT checked for a `jti`. */
function secretsOf(issued: Issued): string[] {
  const values = [issued.code, issued.access_token, issued.refresh_token, issued.id_token].filter((v): v is string => typeof v === 'string');
  for (const value of values.filter(isJwt)) expect(decodeJwt(value).jti, `a JWT without jti: ${JSON.stringify(decodeJwt(value))}`).toEqual(expect.any(String));
  return values;
}

const cases = providers.flatMap((provider: Provider) =>
  provider.environments.some((env) => env.kind === 'builtin')
    ? provider.presets
        .filter((preset) => preset.environments.includes('builtin'))
        .map((preset) => ({ name: `${provider.id} / ${preset.id} (${grantOf(provider, preset.id).grantType})`, provider, preset }))
    : [],
);

describe('SECURITY 14: every token and code a built-in sandbox issues is unique', () => {
  it('covers every built-in sandbox of the registry', () => {
    expect(new Set(cases.map((c) => c.provider.id))).toEqual(new Set(providers.filter((p) => p.environments.some((e) => e.kind === 'builtin')).map((p) => p.id)));
  });

  it.each(cases)('SECURITY 14: two identical requests in the same millisecond get different tokens and codes: $name', async ({ provider, preset }) => {
    const flow = resolveFlow(provider, 'builtin', { kind: 'preset', presetId: preset.id }, ORIGIN);
    const [first, second] = await Promise.all([issue(flow, preset), issue(flow, preset)]);
    expect(Date.now()).toBe(frozenNow);
    const all = [...secretsOf(first!), ...secretsOf(second!)];
    expect(new Set(all).size, 'a token or code was issued twice').toBe(all.length);
    for (const [a, b] of [[first!.access_token, second!.access_token], [first!.id_token, second!.id_token]] as const) {
      // Same second, same claims the caller controls: only the random part tells them apart.
      if (a && b && isJwt(a)) expect(decodeJwt(a).iat).toBe(decodeJwt(b).iat);
    }
  });

  it('SECURITY 14: two identical SMART Backend Services requests get different access tokens', async () => {
    const key = await generateClientKey('ES384');
    const registered = await browserFetch(`${ORIGIN}/sandbox/smart/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], scope: 'system/*.rs', jwks: publicJwks([key]) }),
    });
    expect(registered.status).toBe(201);
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const smart = providers.find((p) => p.id === 'smart')!;
    const base = resolveFlow(smart, 'builtin', { kind: 'preset', presetId: smart.presets[0]!.id }, ORIGIN);
    const flow: ResolvedFlow = {
      ...base,
      grant: { ...base.grant, grantType: 'client_credentials', clientAuth: 'private_key_jwt', scopes: ['system/*.rs'], extraParams: { grant_type: 'client_credentials' } },
      credential: { kind: 'custom', label: 'backend', clientId, clientSecret: '', clientKey: key },
    };
    const [first, second] = await Promise.all([issue(flow, smart.presets[0]!), issue(flow, smart.presets[0]!)]);
    const all = [...secretsOf(first!), ...secretsOf(second!)];
    expect(new Set(all).size).toBe(all.length);
  });
});
