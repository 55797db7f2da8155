import { describe, expect, it } from 'vitest';
import { simulatedFailureTable, type FailureSite } from '@/lib/contract/simulated-failures';
import { prepareTokenRequest } from '@/lib/oauth/client-authentication';
import { resolveFlow, type ResolvedFlow } from '@/lib/oauth/flow';
import { providers } from '@/lib/providers';
import type { CredentialPreset } from '@/lib/providers/schema';
import { browserFetch, ORIGIN } from '@/test/route-harness';
import { signInAtSandbox } from '@/test/sandbox-browser';
import { simulateHeader } from '@/lib/contract/simulated-failures';
import { simulating } from './shared/test-helpers';
import * as smartTest from './smart/test-helpers';

/**
 * Every built-in sandbox acts on every simulated failure where the one table (lib/contract/simulated-failures.ts)
 * says it does: a token-endpoint failure changes a token request's answer and leaves the API alone, an API failure
 * changes a protected route's answer, a refresh failure changes a refresh and nothing else, a fault of the wire
 * changes both. A row added to the table without its implementation fails here. The sandboxes are reached through
 * their route, as in the app, so the faults of the wire apply.
 */

/** What a client can tell about an answer: whether it came in time, its status, whether the body came whole and is JSON. */
interface Observation {
  answered: boolean;
  status?: number;
  complete?: boolean;
  json?: boolean;
}

const normal: Observation = { answered: true, status: 200, complete: true, json: true };
/** Far below the slow failures (4 s slow token, 6 s slow body, 5 min no answer), far above an in-process answer. */
const patienceMs = 1500;

function late(ms: number): Promise<'late'> {
  return new Promise((resolve) => setTimeout(() => resolve('late'), ms));
}

/** Sends a request and watches its answer for up to `patienceMs` each for the head and the body, then lets go. */
async function observe(send: (signal: AbortSignal) => Promise<Response>): Promise<Observation> {
  const controller = new AbortController();
  const pending = send(controller.signal);
  pending.catch(() => undefined);
  const response = await Promise.race([pending, late(patienceMs)]);
  if (response === 'late') {
    controller.abort();
    return { answered: false };
  }
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let complete = true;
  if (reader) {
    const deadline = late(patienceMs);
    try {
      for (;;) {
        const next = await Promise.race([reader.read(), deadline]);
        if (next === 'late') {
          complete = false;
          await reader.cancel().catch(() => undefined);
          break;
        }
        if (next.done) break;
        chunks.push(next.value);
      }
    } catch {
      complete = false;
    }
  }
  controller.abort();
  let json = false;
  try {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    json = complete;
  } catch {
    // Not JSON: cut short, or not JSON at all.
  }
  return { answered: true, status: response.status, complete, json };
}

function sendTo(url: string | URL, init: RequestInit, failures: string | undefined, signal: AbortSignal): Promise<Response> {
  const headers = new Headers(init.headers);
  if (failures) headers.set(simulateHeader, failures);
  return browserFetch(url.toString(), { ...init, headers, signal });
}

/** One flow of a built-in sandbox, with the requests the test sends to it. */
class SandboxFlow {
  private accessToken = '';
  private protectedRoute?: { url: URL; headers: Record<string, string> };

  constructor(
    readonly flow: ResolvedFlow,
    private readonly preset: CredentialPreset,
  ) {}

  get redirectUri(): string {
    return `${ORIGIN}/api/oauth/${this.flow.provider.id}/callback`;
  }

  /** A code exchange needs a new code each time (they are single use); client credentials need nothing. */
  private async grantParams(): Promise<Record<string, string>> {
    if (this.flow.grant.grantType === 'client_credentials') return {};
    const verifier = 'simulation-test-verifier-0123456789abcdefghijklmnopqrstuvwxyz';
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url');
    const authorize = new URL(this.flow.env.authorizeUrl!);
    const query: Record<string, string> = {
      response_type: 'code',
      client_id: this.flow.credential.clientId,
      redirect_uri: this.redirectUri,
      scope: this.flow.grant.scopes.join(' '),
      state: 'simulation-test-state-0123456789',
      code_challenge: digest,
      code_challenge_method: 'S256',
      ...this.flow.grant.authorizeParams,
    };
    if (this.flow.grant.smartAudience) query.aud = this.flow.env.fhirBaseUrl.toString();
    for (const [name, value] of Object.entries(query)) authorize.searchParams.set(name, value);
    const redirect = await signInAtSandbox(browserFetch, authorize.toString(), this.preset.sandboxUsers[0]!);
    return { grant_type: 'authorization_code', code: redirect.searchParams.get('code') ?? '', redirect_uri: this.redirectUri, code_verifier: verifier };
  }

  private async tokenInit(grantParams: Record<string, string>): Promise<{ url: URL; init: RequestInit }> {
    const { request } = await prepareTokenRequest(this.flow, grantParams);
    return { url: request.url, init: { method: request.method, headers: request.headers, body: request.method === 'GET' ? undefined : request.body } };
  }

  /** A token request (client credentials or a fresh code's exchange) under `failures`. */
  async tokenRequest(failures?: string): Promise<Observation> {
    const { url, init } = await this.tokenInit(await this.grantParams());
    return observe((signal) => sendTo(url, init, failures, signal));
  }

  /** A fresh token pair, without failures. */
  async issue(): Promise<{ access_token: string; refresh_token?: string }> {
    const { url, init } = await this.tokenInit(await this.grantParams());
    const response = await browserFetch(url.toString(), init);
    expect(response.status).toBe(200);
    return (await response.json()) as { access_token: string; refresh_token?: string };
  }

  /** A refresh of a fresh refresh token under `failures`, then (to show the token was good) the same refresh without. */
  async refresh(failures: string): Promise<{ with: Observation; without: Observation }> {
    const { refresh_token: refreshToken } = await this.issue();
    const { url, init } = await this.tokenInit({ grant_type: 'refresh_token', refresh_token: refreshToken! });
    const withFailure = await observe((signal) => sendTo(url, init, failures, signal));
    return { with: withFailure, without: await observe((signal) => sendTo(url, init, undefined, signal)) };
  }

  /**
   * Gets a token and finds a protected route among the provider's example requests: a GET that answers 200 JSON
   * with the token and 401 or 403 without it.
   */
  async prepareApi(): Promise<void> {
    this.accessToken = (await this.issue()).access_token;
    for (const example of this.flow.provider.defaultRequests.filter((r) => r.method === 'GET' && !r.bulkExport)) {
      const url = new URL(this.flow.env.apiBaseUrl + example.path);
      const anonymous = await browserFetch(url.toString(), { headers: example.headers });
      if (anonymous.status !== 401 && anonymous.status !== 403) continue;
      const route = { url, headers: { ...example.headers, Authorization: `Bearer ${this.accessToken}` } };
      if (JSON.stringify(await observe((signal) => sendTo(route.url, { headers: route.headers }, undefined, signal))) === JSON.stringify(normal)) {
        this.protectedRoute = route;
        return;
      }
    }
    throw new Error(`${this.flow.provider.id}: no example request is a protected route that answers 200 JSON with a token`);
  }

  /** The protected route with the token under `failures`. */
  apiRequest(failures?: string): Promise<Observation> {
    const route = this.protectedRoute!;
    return observe((signal) => sendTo(route.url, { headers: route.headers }, failures, signal));
  }
}

/** Every distinct token endpoint of every built-in sandbox, with a credential set that reaches it. */
const flows = providers.flatMap((provider) => {
  if (!provider.environments.some((env) => env.kind === 'builtin')) return [];
  const seen = new Set<string>();
  return provider.presets
    .filter((preset) => preset.environments.includes('builtin'))
    .map((preset) => ({ preset, flow: resolveFlow(provider, 'builtin', { kind: 'preset', presetId: preset.id }, ORIGIN) }))
    .filter(({ flow }) => !seen.has(flow.env.tokenUrl.toString()) && Boolean(seen.add(flow.env.tokenUrl.toString())))
    .map(({ preset, flow }) => ({ name: `${provider.id} at ${flow.env.tokenUrl.pathname}`, preset, flow }));
});

describe('the simulated failures act where the table says, in every built-in sandbox', () => {
  it('reaches every built-in sandbox', () => {
    expect(new Set(flows.map((f) => f.flow.provider.id))).toEqual(new Set(providers.filter((p) => p.environments.some((e) => e.kind === 'builtin')).map((p) => p.id)));
  });

  it.each(flows)('$name', async ({ flow, preset }) => {
    const sandbox = new SandboxFlow(flow, preset);
    await sandbox.prepareApi();
    expect(await sandbox.tokenRequest(), 'the token request without failures').toEqual(normal);
    const refreshes = flow.grant.refresh.supported;

    const checks: Record<FailureSite, (failure: string) => Promise<string[]>> = {
      token_endpoint: async (failure) => {
        const [token, api] = await Promise.all([sandbox.tokenRequest(failure), sandbox.apiRequest(failure)]);
        return [...(same(token, normal) ? ['left the token endpoint alone'] : []), ...(same(api, normal) ? [] : ['changed the API'])];
      },
      api: async (failure) => (same(await sandbox.apiRequest(failure), normal) ? ['left the protected route alone'] : []),
      refresh: async (failure) => {
        const problems = same(await sandbox.tokenRequest(failure), normal) ? [] : ['changed a token request that is no refresh'];
        if (!refreshes) return problems;
        const refresh = await sandbox.refresh(failure);
        if (same(refresh.with, normal)) problems.push('left the refresh alone');
        if (!same(refresh.without, normal)) problems.push(`the refresh token did not work without it: ${JSON.stringify(refresh.without)}`);
        return problems;
      },
      transport: async (failure) => {
        const [token, api] = await Promise.all([sandbox.tokenRequest(failure), sandbox.apiRequest(failure)]);
        return [...(same(token, normal) ? ['left the token endpoint alone'] : []), ...(same(api, normal) ? ['left the API alone'] : [])];
      },
      // A request without a DPoP proof, and a token request (no authorization request): neither may change. The
      // changes these rows do make are checked on the SMART sandbox below.
      dpop: async (failure) => {
        const [token, api] = await Promise.all([sandbox.tokenRequest(failure), sandbox.apiRequest(failure)]);
        return [...(same(token, normal) ? [] : ['changed a token request without a DPoP proof']), ...(same(api, normal) ? [] : ['changed the API without a DPoP proof'])];
      },
      authorize: async (failure) => {
        const [token, api] = await Promise.all([sandbox.tokenRequest(failure), sandbox.apiRequest(failure)]);
        return [...(same(token, normal) ? [] : ['changed a token request']), ...(same(api, normal) ? [] : ['changed the API'])];
      },
    };
    // The DPoP and authorize rows must leave these requests alone; they are sent once with all of them together, so a
    // sandbox with a token rate limit (Candid: 10 a minute) is not pushed over it by rows that change nothing here.
    const leavesAlone = (row: (typeof simulatedFailureTable)[number]) => row.actsOn === 'dpop' || row.actsOn === 'authorize';
    const problems = await Promise.all(
      simulatedFailureTable
        .filter((row) => !leavesAlone(row))
        .map(async (row) => (await checks[row.actsOn](row.value)).map((problem) => `${row.value} (${row.actsOn}): ${problem}`)),
    );
    const together = simulatedFailureTable.filter(leavesAlone).map((row) => row.value).join(', ');
    const untouched = (await checks.dpop(together)).map((problem) => `${together}: ${problem}`);
    expect([...problems.flat(), ...untouched]).toEqual([]);
  });
});

function same(a: Observation, b: Observation): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

type DpopOrAuthorizeFailure = Extract<(typeof simulatedFailureTable)[number], { actsOn: 'dpop' | 'authorize' }>['value'];

/**
 * The rows that act on DPoP proofs and authorization requests, checked positively on the SMART sandbox (the one
 * that supports DPoP and PAR), in process: each changes the answer it names, and the same request without it is
 * answered as usual. The record's type makes a new row without its check a type error.
 */
describe('the DPoP and authorization-request failures change the SMART sandbox’s answer', () => {
  const smartChecks: Record<DpopOrAuthorizeFailure, () => Promise<void>> = {
    dpop_nonce_required: () => expectDpopTokenError('dpop_nonce_required', 'use_dpop_nonce'),
    dpop_invalid_proof: () => expectDpopTokenError('dpop_invalid_proof', 'invalid_dpop_proof'),
    dpop_replayed_jti: () => expectDpopTokenError('dpop_replayed_jti', 'invalid_dpop_proof'),
    // The console skips the push itself; what the sandbox must do is refuse the client that must push.
    par_not_used: async () => {
      const { sandbox } = smartTest.createTestSandbox();
      const { challenge } = await smartTest.createPkce();
      const response = await smartTest.send(sandbox, smartTest.authorizeQuery(smartTest.getPreset('dpop-par-app'), challenge));
      expect(new URL(response.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
    },
    par_expired_request_uri: async () => {
      const { sandbox } = smartTest.createTestSandbox();
      const preset = smartTest.getPreset('dpop-par-app');
      const authorizeWith = async (failures?: string) => {
        const { challenge } = await smartTest.createPkce();
        const query = new URL(`${smartTest.testBase}${smartTest.authorizeQuery(preset, challenge)}`).searchParams;
        const auth = smartTest.clientAuth(preset);
        const init = smartTest.formPost(Object.fromEntries(query), auth.headers);
        const pushed = await smartTest.send(sandbox, '/auth/par', failures ? simulating(failures, init) : init);
        const { request_uri: requestUri } = (await pushed.json()) as { request_uri: string };
        return smartTest.send(sandbox, `/auth/authorize?${new URLSearchParams({ client_id: preset.clientId, request_uri: requestUri }).toString()}`);
      };
      expect((await authorizeWith()).status).toBe(200);
      const refused = await authorizeWith('par_expired_request_uri');
      expect(new URL(refused.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request_uri');
    },
  };

  async function expectDpopTokenError(failure: string, error: string): Promise<void> {
    const { sandbox, clock } = smartTest.createTestSandbox();
    const client = await smartTest.registerBackendClient(sandbox);
    const key = await smartTest.createDpopKey();
    const tokenRequest = async (failures?: string) => {
      const init = smartTest.withHeaders(await smartTest.backendTokenRequest(client.clientId, client.key, { now: clock.now() }), {
        DPoP: await smartTest.createProof(key, { now: clock.now() }),
      });
      return smartTest.send(sandbox, '/auth/token', failures ? simulating(failures, init) : init);
    };
    expect((await tokenRequest()).status).toBe(200);
    await smartTest.expectOAuthError(await tokenRequest(failure), 400, error);
  }

  it.each(simulatedFailureTable.filter((row) => row.actsOn === 'dpop' || row.actsOn === 'authorize').map((row) => row.value as DpopOrAuthorizeFailure))(
    '%s',
    async (failure) => smartChecks[failure](),
  );
});
