import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, ConformanceEvent } from '@/lib/contract/conformance';
import { completeAuthorization, startAuthorization } from '@/lib/oauth/authorization-code';
import type { ResolvedFlow } from '@/lib/oauth/flow';
import { resolveFlow } from '@/lib/oauth/flow';
import { providerSchema, type ProviderInput } from '@/lib/providers/schema';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault } from '@/lib/session/vault';
import { generateClientKey, publicJwks } from '@/lib/smart/client-keys';
import { CHECKS } from './catalogue';
import { startFixtureServer, type FixtureBreak, type FixtureServer } from './fixture-server';
import { checkExchanges, providerFacts } from './passive';
import { runConformance } from './runner';

/**
 * Issue #18 §4: "Check this server" against a server that follows the specs passes every check that applies, and
 * against the same server broken in one way, the check that guards that one thing fails. One test per check.
 */

let fixture: FixtureServer;
const clientKey = await generateClientKey('ES384');

function providerInput(origin: string, edit: (input: ProviderInput) => void = () => undefined): ProviderInput {
  const input: ProviderInput = {
    id: 'fixture',
    name: 'Fixture server',
    summary: 'test',
    docs: [],
    smartAppLaunch: true,
    environments: [
      {
        id: 'remote', kind: 'sandbox', label: 'Fixture', origin, tokenPath: '/token', authorizePath: '/authorize', fhirBasePath: '/fhir', jwksPath: '/jwks', introspectionPath: '/introspect', allowedPathPrefixes: ['/fhir/'],
        pushedAuthorizationPath: '/par', dpopSigningAlgs: ['ES256'],
      },
    ],
    grant: {
      grantType: 'authorization_code', clientAuth: 'basic', httpMethod: 'POST', body: 'form', extraParams: {}, headers: {},
      scopes: ['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/*.rs'], smartAudience: true, refresh: { supported: true, rotates: true },
      // The app pushes its authorization requests and sends DPoP proofs (RFC 9126, RFC 9449); the backend client neither.
      dpop: true,
    },
    documentedTokenLifetimeSeconds: 300,
    tokenFormat: 'opaque',
    tokenReuse: { reuseLiveToken: false, reason: '' },
    presets: [
      { id: 'app', label: 'App', clientId: 'app', clientSecret: 'app-secret-0123456789', environments: ['remote'] },
      {
        id: 'backend', label: 'Backend', clientId: 'backend', clientSecret: '', environments: ['remote'],
        grant: { grantType: 'client_credentials', clientAuth: 'private_key_jwt', httpMethod: 'POST', body: 'form', extraParams: { grant_type: 'client_credentials' }, headers: {}, scopes: ['system/*.rs'] },
      },
    ],
    allowCustomCredentials: false,
    defaultRequests: [{ id: 'patients', label: 'Patients', group: 'data', method: 'GET', path: '/fhir/Patient', headers: {}, description: 'Patients', bulkExport: false }],
    bulkExport: {
      bases: [{ id: 'r4', label: 'R4', path: '/fhir', levels: ['patient', 'group', 'system'], groups: [{ id: 'g1', label: 'g1' }], resourceTypes: ['Patient', 'Observation'] }],
      outputFormats: ['application/fhir+ndjson', 'ndjson'],
      cancel: { supported: true },
    },
    knownDeviations: [],
  };
  edit(input);
  return input;
}

type FlowKind = 'code' | 'backend';

/** A session with the flow done as the console does it: for `code`, a sign-in the fixture approves at once. */
async function checkServer(kind: FlowKind, edit?: (input: ProviderInput) => void): Promise<Map<string, CheckResult>> {
  const provider = providerSchema.parse(providerInput(fixture.origin, edit));
  const vault = new SessionVault(new MemoryVaultStore(), { '1': 'z'.repeat(32) });
  const sid = `sid-${Math.random().toString(36).slice(2)}`;
  const ctx = { vault, sid };
  const resolved = resolveFlow(provider, 'remote', { kind: 'preset', presetId: kind === 'code' ? 'app' : 'backend' });
  const flow: ResolvedFlow = kind === 'backend' ? { ...resolved, credential: { ...resolved.credential, clientKey } } : resolved;
  if (kind === 'code') {
    const started = await startAuthorization(ctx, flow, 'http://console.test');
    const answer = await fetch(started.authorizeUrl.replace('http://console.test', fixture.origin), { redirect: 'manual' });
    const location = answer.headers.get('location') ?? '';
    await completeAuthorization(ctx, provider.id, new URL(location).searchParams, started.state, () => flow, { url: location, location: '/' }).catch(() => undefined);
  }
  const results = new Map<string, CheckResult>();
  const events: ConformanceEvent[] = [];
  for await (const event of runConformance({ ...ctx, flow })) {
    events.push(event);
    if (event.type === 'result') results.set(event.result.checkId, event.result);
  }
  expect(events.at(-1)?.type).toBe('done');
  return results;
}

const outcomes = (results: Map<string, CheckResult>) => Object.fromEntries([...results].map(([id, r]) => [id, r.outcome]));

beforeAll(async () => {
  fixture = await startFixtureServer();
  fixture.registerClientJwks('backend', publicJwks([clientKey]));
});
afterAll(() => fixture.close());

describe('a server that follows the specs', () => {
  it('passes every check both flows reach, and skips only the other flow’s with a reason', async () => {
    fixture.setBreak(null);
    const code = await checkServer('code');
    const backend = await checkServer('backend');
    const failing = [...code.values(), ...backend.values()].filter((r) => r.outcome !== 'pass' && r.outcome !== 'skip');
    expect(failing.map((r) => `${r.checkId}: ${r.message}`)).toEqual([]);
    // Every check passes in one flow or the other: nothing in the catalogue is unreachable.
    const passedSomewhere = CHECKS.filter((c) => code.get(c.id)?.outcome === 'pass' || backend.get(c.id)?.outcome === 'pass').map((c) => c.id);
    const neverPassed = CHECKS.map((c) => c.id).filter((id) => !passedSomewhere.includes(id));
    // A server that follows the specs refuses no code or refresh: those error bodies are seen only when it does.
    expect(neverPassed).toEqual(['standalone.token-error-body', 'refresh.token-error-body']);
    for (const r of [...code.values(), ...backend.values()].filter((r) => r.outcome === 'skip')) expect(r.message.length).toBeGreaterThan(20);
  });
});

/** Each check, the flow that reaches it, and what breaks it: the fixture's one fault or the console's own recipe. */
const BREAKS: Record<string, { flow: FlowKind; break?: FixtureBreak; edit?: (input: ProviderInput) => void }> = {
  'discovery.smart-configuration': { flow: 'backend', break: 'smart-config-html' },
  'discovery.smart-configuration-fields': { flow: 'backend', break: 'smart-config-no-capabilities' },
  'discovery.pkce-s256': { flow: 'backend', break: 'smart-config-plain-pkce' },
  'discovery.capability-statement-oauth-uris': { flow: 'backend', break: 'oauth-uris-mismatch' },
  'discovery.openid-consistency': { flow: 'backend', break: 'openid-config-other-issuer' },
  'standalone.authorize-request': { flow: 'code', edit: (p) => void (p.grant.smartAudience = false) },
  'standalone.state-returned': { flow: 'code', break: 'state-changed' },
  'standalone.code-received': { flow: 'code', break: 'callback-unknown-error' },
  'standalone.token-request': { flow: 'code', edit: (p) => void (p.grant.body = 'json') },
  'standalone.token-success': { flow: 'code', break: 'token-500' },
  'standalone.token-response-headers': { flow: 'code', break: 'token-cacheable' },
  'standalone.token-response-body': { flow: 'code', break: 'token-expires-in-string' },
  'standalone.token-error-body': { flow: 'code', break: 'token-error-plain-text' },
  'standalone.scopes-granted': { flow: 'code', break: 'scope-widened' },
  'standalone.launch-context': { flow: 'code', break: 'need-patient-banner-string' },
  'openid.configuration': { flow: 'backend', break: 'openid-config-no-jwks-uri' },
  'openid.id-token-present': { flow: 'code', break: 'no-id-token' },
  'openid.id-token-claims': { flow: 'code', break: 'id-token-no-sub' },
  'openid.id-token-signature': { flow: 'code', break: 'id-token-bad-signature' },
  'openid.jwks': { flow: 'code', break: 'jwks-private-key' },
  'openid.fhir-user': { flow: 'code', break: 'fhir-user-not-a-user' },
  'openid.fhir-user-resolves': { flow: 'code', break: 'fhir-user-unreadable' },
  'refresh.token-request': { flow: 'code', edit: (p) => void (p.grant.body = 'json') },
  'refresh.token-success': { flow: 'code', break: 'refresh-500' },
  'refresh.token-response-headers': { flow: 'code', break: 'refresh-no-store-missing' },
  'refresh.token-response-body': { flow: 'code', break: 'refresh-expires-in-string' },
  'refresh.token-error-body': { flow: 'code', break: 'refresh-refuses-plain-text' },
  'refresh.without-scopes': { flow: 'code', break: 'refresh-500' },
  'refresh.with-scopes': { flow: 'code', break: 'refresh-scope-refused' },
  'backend.token-request': { flow: 'backend', edit: (p) => void (p.presets[1]!.grant!.extraParams = {}) },
  'backend.token-success': { flow: 'backend', break: 'backend-500' },
  'backend.token-response-headers': { flow: 'backend', break: 'backend-cacheable' },
  'backend.token-response-body': { flow: 'backend', break: 'backend-no-token-type' },
  'backend.token-error-body': { flow: 'backend', break: 'backend-error-plain-text' },
  'backend.invalid-grant-type': { flow: 'backend', break: 'accept-any-grant' },
  'backend.invalid-assertion-type': { flow: 'backend', break: 'accept-any-assertion-type' },
  'backend.invalid-jwt': { flow: 'backend', break: 'accept-any-signature' },
  'introspection.response': { flow: 'backend', break: 'introspect-no-client-id' },
  'introspection.inactive': { flow: 'backend', break: 'introspect-everything-active' },
  'bulk.capability-operations': { flow: 'backend', break: 'no-export-operations' },
  'bulk.kickoff-request': { flow: 'backend' },
  'bulk.kickoff-accepted': { flow: 'backend', break: 'kickoff-200' },
  'bulk.status-in-progress': { flow: 'backend', break: 'status-error-plain' },
  'bulk.manifest': { flow: 'backend', break: 'manifest-no-request' },
  'bulk.download': { flow: 'backend', break: 'file-wrong-type' },
  'bulk.type-filter': { flow: 'backend', break: 'type-ignored' },
  'bulk.cancel': { flow: 'backend', break: 'cancel-200' },
  'bulk.kickoff-without-token': { flow: 'backend', break: 'kickoff-open' },
  'bulk.kickoff-patient': { flow: 'backend', break: 'patient-level-refused' },
  'bulk.kickoff-group': { flow: 'backend', break: 'group-level-refused' },
  'bulk.kickoff-system': { flow: 'backend', break: 'system-level-refused' },
  'bulk.since': { flow: 'backend', break: 'since-refused' },
  'bulk.output-format': { flow: 'backend', break: 'output-format-refused' },
  'bulk.cancel-then-gone': { flow: 'backend', break: 'cancelled-still-there' },
  'fhir.content-type': { flow: 'backend', break: 'fhir-text-plain' },
  'fhir.resource-valid': { flow: 'backend', break: 'fhir-invalid-resource' },
  'fhir.no-token-refused': { flow: 'backend', break: 'fhir-open' },
  'fhir.invalid-token-refused': { flow: 'backend', break: 'fhir-any-token' },
  'sender.dpop-metadata': { flow: 'code', break: 'dpop-algs-symmetric' },
  'sender.par-metadata': { flow: 'code', break: 'par-required-without-endpoint' },
  'sender.par-response': { flow: 'code', break: 'par-no-expires-in' },
  'sender.dpop-token-type': { flow: 'code', break: 'dpop-token-type-missing' },
  'sender.dpop-token-binding': { flow: 'code', break: 'dpop-cnf-other-key' },
  'sender.dpop-nonce-challenge': { flow: 'code', break: 'dpop-nonce-without-header' },
  'sender.dpop-resource-challenge': { flow: 'code', break: 'dpop-resource-bearer-challenge' },
  'sender.dpop-bound-as-bearer-refused': { flow: 'code', break: 'dpop-bearer-accepted' },
};

describe('the same server broken in one way fails the check that guards it', () => {
  it('every check in the catalogue has its break', () => {
    expect(CHECKS.map((c) => c.id).filter((id) => !BREAKS[id])).toEqual([]);
  });

  for (const [checkId, broken] of Object.entries(BREAKS)) {
    if (checkId === 'bulk.kickoff-request') continue;
    it(`${checkId} fails when ${broken.break ?? 'the console’s recipe'} is broken`, async () => {
      fixture.setBreak(broken.break ?? null);
      try {
        const results = await checkServer(broken.flow, broken.edit);
        expect({ checkId, outcome: results.get(checkId)?.outcome }, results.get(checkId)?.message).toEqual({ checkId, outcome: 'fail' });
      } finally {
        fixture.setBreak(null);
      }
    });
  }

  it('bulk.kickoff-request fails for a kick-off sent without Accept and Prefer (the console’s own request, as a user may type it)', async () => {
    const provider = providerSchema.parse(providerInput(fixture.origin));
    const kickoff = {
      id: 'k1', startedAt: 1, kind: 'fhir' as const, providerId: 'fixture', environmentId: 'remote', method: 'GET',
      url: `${fixture.origin}/fhir/Patient/$export`, status: 202, durationMs: 1,
      request: { headers: [['Authorization', 'Bearer [redacted]']] as [string, string][], body: null },
      response: { headers: [['Content-Location', `${fixture.origin}/fhir/jobs/1`]] as [string, string][], body: null, bodyTruncated: false, size: 0 },
    };
    const [results] = checkExchanges([kickoff], new Map([['fixture', providerFacts(provider)]]), []);
    expect(results?.find((r) => r.checkId === 'bulk.kickoff-request')?.outcome).toBe('fail');
    const withHeaders = { ...kickoff, id: 'k2', request: { ...kickoff.request, headers: [...kickoff.request.headers, ['Accept', 'application/fhir+json'], ['Prefer', 'respond-async']] as [string, string][] } };
    const [good] = checkExchanges([withHeaders], new Map([['fixture', providerFacts(provider)]]), []);
    expect(good?.find((r) => r.checkId === 'bulk.kickoff-request')?.outcome).toBe('pass');
  });
});

describe('status codes as Inferno holds them', () => {
  it('an unknown grant_type refused with 401 instead of 400 fails (RFC 6749 §5.2: unsupported_grant_type is a 400)', async () => {
    fixture.setBreak('unknown-grant-401');
    try {
      const results = await checkServer('backend');
      expect(results.get('backend.invalid-grant-type')).toMatchObject({ outcome: 'fail', message: expect.stringContaining('answered 401') });
      expect(results.get('backend.token-error-body')?.outcome).toBe('pass');
    } finally {
      fixture.setBreak(null);
    }
  });
});

describe('the probes keep the recipe’s shape', () => {
  it('a GET token recipe with a form body (1upHealth’s) is probed the same way: the secret never goes into a URL', async () => {
    const secret = 'get-recipe-secret-0123456789';
    const provider = providerSchema.parse(
      providerInput(fixture.origin, (p) =>
        void p.presets.push({
          id: 'get-secret', label: 'GET recipe', clientId: 'get-client', clientSecret: secret, environments: ['remote'],
          grant: { grantType: 'client_credentials', clientAuth: 'form', httpMethod: 'GET', body: 'form', extraParams: { grant_type: 'client_credentials' }, headers: {}, scopes: ['system/*.rs'] },
        }),
      ),
    );
    const vault = new SessionVault(new MemoryVaultStore(), { '1': 'z'.repeat(32) });
    const sid = 'sid-get-recipe';
    for await (const event of runConformance({ vault, sid, flow: resolveFlow(provider, 'remote', { kind: 'preset', presetId: 'get-secret' }) })) void event;
    const probes = (await vault.listExchanges(sid)).filter((e) => e.kind === 'token');
    expect(probes.length).toBeGreaterThanOrEqual(2);
    for (const e of probes) {
      expect(e.method).toBe('GET');
      expect(e.url).not.toContain('client_secret');
      expect(JSON.stringify(e)).not.toContain(secret);
    }
    expect(probes.some((e) => e.probe && e.request.body?.includes('grant_type=urn%3Aexample%3Anot-a-grant'))).toBe(true);
  });
});

describe('known deviations', () => {
  it('a failure the provider file documents is `known`, with its summary; an undocumented one stays `fail`', async () => {
    fixture.setBreak('token-expires-in-string');
    try {
      const documented = await checkServer('code', (p) => void p.knownDeviations.push({ code: 'expires_in_string', summary: 'expires_in is a string', detail: 'as documented' }));
      expect(documented.get('standalone.token-response-body')).toMatchObject({ outcome: 'known', deviations: [{ code: 'expires_in_string', summary: 'expires_in is a string' }] });
      const other = await checkServer('code', (p) => void p.knownDeviations.push({ code: 'token_type_case', summary: 'lower-case bearer', detail: 'as documented' }));
      expect(outcomes(other)['standalone.token-response-body']).toBe('fail');
    } finally {
      fixture.setBreak(null);
    }
  });
});
