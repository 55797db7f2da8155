import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, simulatedFailureSchema } from '@/lib/contract/schemas';
import { providers } from '@/lib/providers';
import { getVault } from '@/lib/session';
import { newRandomId, newSessionCookie, serializeSessionCookie } from '@/lib/session/cookie';
import { resolveSessionPasswords } from '@/lib/session/secret';
import * as fhirDownload from './fhir/[providerId]/download/route';
import * as fhirProxy from './fhir/[providerId]/route';
import * as authorize from './oauth/[providerId]/authorize/route';
import * as callback from './oauth/[providerId]/callback/route';
import * as introspect from './oauth/[providerId]/introspect/route';
import * as refresh from './oauth/[providerId]/refresh/route';
import * as token from './oauth/[providerId]/token/route';
import * as providersRoute from './providers/route';
import * as session from './session/route';
import * as simulations from './session/simulations/[providerId]/route';
import * as smartDiscover from './smart/discover/route';
import * as smartKey from './smart/keys/[kid]/route';
import * as smartKeys from './smart/keys/route';
import * as smartProvider from './smart/providers/[customProviderId]/route';
import * as smartProviders from './smart/providers/route';
import * as smartRegister from './smart/register/route';
import * as jwks from '../jwks/[jwksId]/route';
import * as sandbox from '../sandbox/[provider]/[...path]/route';
import { ORIGIN, startUpstream, type Listener } from '@/test/route-harness';

/**
 * Hostile input (issue #7): every route handler gets ≥ 1,000 malformed requests — wrong ids, broken and
 * mistyped JSON, missing or hostile CSRF headers, forged cookies, odd query strings. None may answer 5xx, and
 * every 4xx must be a JSON error a person can read. The built-in sandboxes run on loopback as the upstream, and
 * only the built-in environment is targeted: real hosts are unreachable here (502 there is the truth, not a bug).
 */

const RUNS = 1000;
const providerIds = providers.map((p) => p.id);
const realEnvironmentIds = new Set(providers.flatMap((p) => p.environments.filter((e) => e.kind !== 'builtin').map((e) => e.id)));

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

let upstream: Listener;

beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'f'.repeat(64);
  upstream = await startUpstream();
});
/** A session cookie of a fresh session: each route gets its own, so one route's state cannot steer another's. */
async function freshSessionCookie(): Promise<string> {
  const cookie = newSessionCookie();
  await getVault().putSessionHandle(cookie.handle, newRandomId());
  const setCookie = await serializeSessionCookie(cookie, false, resolveSessionPasswords());
  return setCookie.split(';')[0]!;
}
afterAll(() => upstream.close());

/** Strings meant to break parsers and path handling. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '../../etc/passwd', '%00', '%2e%2e%2f', '\u0000', '\uFFFF', '🙂', 'null', '[]', '{}', '__proto__', 'constructor', 'a'.repeat(5000), 'http://169.254.169.254/latest/meta-data', '//evil.example', '\\\\evil', 'builtin\n'),
);

/** Any JSON value, with prototype-pollution keys thrown in. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant({ __proto__: { polluted: true } }),
  fc.constant({ constructor: { prototype: { polluted: true } } }),
);

const environmentId = fc.oneof(
  { weight: 4, arbitrary: fc.constant('builtin') },
  { weight: 1, arbitrary: hostileString.filter((s) => !realEnvironmentIds.has(s)) },
);
const providerId = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...providerIds) }, { weight: 1, arbitrary: hostileString });

/** A body that is mostly the right shape with some fields wrong, or not JSON at all. */
function bodyOf(shape: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: shape.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: anyJson.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constant('{"unterminated": ') },
    { weight: 1, arbitrary: fc.constant('x'.repeat(1_200_000)) },
  );
}

/**
 * A request body that is right but for at most a couple of fields: each chosen field is dropped or replaced by
 * anything at all. One wrong field at a time is what finds the handler that trusts the rest.
 */
function mostlyValid(valid: fc.Arbitrary<Record<string, unknown>>, keys: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const mutation = fc.tuple(fc.constantFrom(...keys), fc.option(fc.oneof(anyJson, hostileString), { nil: undefined }));
  return fc.tuple(valid, fc.array(mutation, { maxLength: 2 })).map(([body, mutations]) => {
    const mutated: Record<string, unknown> = { ...body };
    for (const [key, value] of mutations) {
      if (value === undefined) delete mutated[key];
      else mutated[key] = value;
    }
    return mutated;
  });
}

type Provider = (typeof providers)[number];

/** Values that fit the provider (its presets and example paths), so most requests are plausible for it. */
function fhirRequestShape(provider: Provider) {
  const presetId = fc.constantFrom(...provider.presets.map((p) => p.id), 'unknown-preset');
  const paths = provider.defaultRequests.map((r) => r.path);
  return mostlyValid(
    fc.record(
      {
        environmentId,
        presetId,
        method: fc.constantFrom('GET', 'POST', 'DELETE'),
        path: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...paths, '/data/1/x.ndjson', '/api/v2/jobs/1') },
          { weight: 1, arbitrary: hostileString.map((s) => `/${s}`) },
        ),
        headers: fc.dictionary(fc.constantFrom('Accept', 'Prefer', 'Authorization', 'Host', 'X-Request-Id'), fc.string({ maxLength: 40 }), { maxKeys: 2 }),
        previewLines: fc.integer({ min: 1, max: 200 }),
      },
      { requiredKeys: ['path'] },
    ),
    ['environmentId', 'presetId', 'method', 'path', 'headers', 'previewLines', 'body'],
  );
}

function tokenShape(provider: Provider) {
  const credential = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('preset'), presetId: fc.constantFrom(...provider.presets.map((p) => p.id)) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('custom'), clientId: fc.string({ minLength: 1, maxLength: 60 }), clientSecret: fc.string({ minLength: 1, maxLength: 60 }) }) },
  );
  return mostlyValid(
    fc.record({ environmentId, credential, forceNew: fc.boolean(), bodyFormat: fc.constantFrom('form', 'json') }, { requiredKeys: ['environmentId', 'credential'] }),
    ['environmentId', 'credential', 'forceNew', 'bodyFormat'],
  );
}

function environmentShape(provider: Provider) {
  return mostlyValid(fc.record({ environmentId, presetId: fc.constantFrom(...provider.presets.map((p) => p.id)) }, { requiredKeys: [] }), ['environmentId', 'presetId']);
}

function simulationsShape() {
  return mostlyValid(fc.record({ failures: fc.uniqueArray(fc.constantFrom(...simulatedFailureSchema.options), { maxLength: 3 }) }), ['failures']);
}

interface RouteInput {
  params: Record<string, string>;
  body: string | null;
}

/** A known provider with a body that fits it, or (one in nine) a made-up provider id with any body. */
function providerRoute(shape: (provider: Provider) => fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<RouteInput> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...providers).chain((provider) => bodyOf(shape(provider)).map((body) => ({ params: { providerId: provider.id }, body }))) },
    { weight: 1, arbitrary: fc.tuple(hostileString, bodyOf(shape(providers[0]!))).map(([providerId, body]) => ({ params: { providerId }, body })) },
  );
}

/** What the console page sends; most requests look like this so the fuzzing reaches past the CSRF check. */
const pageHeaders = fc.record({
  csrf: fc.constant<string | undefined>('1'),
  origin: fc.constant<string | undefined>(ORIGIN),
  fetchSite: fc.constantFrom<string | undefined>('same-origin', undefined),
  contentType: fc.constantFrom<string | undefined>('application/json', undefined, 'text/plain'),
  cookie: fc.oneof({ weight: 4, arbitrary: fc.constant<string | undefined>('valid') }, { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) }),
});

/** What an attacker or a broken client might send instead. */
const hostileHeaders = fc.record({
  csrf: fc.option(hostileString, { nil: undefined }),
  origin: fc.option(fc.constantFrom(ORIGIN, 'null', 'https://evil.example', 'http://localhost:3000.evil.example'), { nil: undefined }),
  fetchSite: fc.option(fc.constantFrom('same-origin', 'cross-site', 'same-site', 'none', 'garbage'), { nil: undefined }),
  contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'), { nil: undefined }),
  cookie: fc.oneof(
    fc.constant<string | undefined>('valid'),
    fc.constant<string | undefined>(undefined),
    hostileString.map((s) => `hoc_session=${encodeURIComponent(s)}`),
    fc.constant<string | undefined>('tampered'),
  ),
});

const requestHeaders = fc.oneof({ weight: 5, arbitrary: pageHeaders }, { weight: 1, arbitrary: hostileHeaders });

type Headers = typeof requestHeaders extends fc.Arbitrary<infer T> ? T : never;

function buildHeaders(h: Headers, validCookie: string): Record<string, string> {
  const headers: Record<string, string> = { Host: 'localhost:3000' };
  const safe = (value: string) => value.replace(/[^\x20-\x7e]/g, '?');
  if (h.csrf !== undefined) headers['x-console-request'] = safe(h.csrf);
  if (h.origin) headers.Origin = h.origin;
  if (h.fetchSite) headers['Sec-Fetch-Site'] = h.fetchSite;
  if (h.contentType) headers['Content-Type'] = h.contentType;
  if (h.cookie === 'valid') headers.Cookie = validCookie;
  else if (h.cookie === 'tampered') headers.Cookie = `${validCookie.slice(0, -4)}AAAA`;
  else if (h.cookie) headers.Cookie = safe(h.cookie);
  return headers;
}

/**
 * One call: no 5xx; every console 4xx a JSON error with a message. A sandbox answers as its provider does (BCDA's
 * plain-text Go errors, an empty 405), so there only the status is checked. Returns the error code, if any.
 */
async function expectClearAnswer(response: Response, what: string, errors: 'console-json' | 'provider-format'): Promise<string> {
  const status = response.status;
  if (status < 400) {
    await response.body?.cancel();
    return String(status);
  }
  const text = await response.text();
  expect(status, `${what.slice(0, 200)} → ${status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (errors === 'provider-format') return String(status);
  expect(response.headers.get('content-type'), what.slice(0, 200)).toMatch(/application\/json/);
  const parsed = apiErrorSchema.safeParse(JSON.parse(text));
  expect(parsed.success, `${what.slice(0, 200)}: ${text.slice(0, 300)}`).toBe(true);
  expect(parsed.data?.error.message.length, what.slice(0, 200)).toBeGreaterThan(3);
  // define-route's own 404 for params that do not parse says just "Not found."; a handler's 404 names what it looked for.
  if (parsed.data?.error.code === 'not_found' && parsed.data.error.message !== 'Not found.') return 'not_found by the handler';
  return parsed.data?.error.code ?? String(status);
}

/** Answers that stop a request before the handler's own logic: the fuzzing must get past these often enough. */
const AT_THE_DOOR = new Set(['csrf_rejected', 'validation_failed', 'bad_request', 'not_found']);

function fuzzRoute(
  name: string,
  handler: Handler,
  method: string,
  url: (params: Record<string, string>) => string,
  input: fc.Arbitrary<RouteInput>,
  errors: 'console-json' | 'provider-format' = 'console-json',
) {
  const tally = new Map<string, number>();
  it(`${method} ${name}: ${RUNS} malformed requests, no 5xx, every 4xx explained`, async () => {
    const validCookie = await freshSessionCookie();
    await fc.assert(
      fc.asyncProperty(input, requestHeaders, async ({ params: routeParams, body: payload }, headers) => {
        const request = new Request(`${ORIGIN}${url(routeParams)}`, {
          method,
          headers: buildHeaders(headers, validCookie),
          body: method === 'GET' || method === 'HEAD' ? undefined : (payload ?? undefined),
        });
        const response = await handler(request, { params: Promise.resolve(routeParams) });
        const outcome = await expectClearAnswer(response, `${method} ${url(routeParams)} ${payload?.slice(0, 120) ?? ''}`, errors);
        tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
      }),
      // A counterexample can hold a 1 MB body: keep the report readable.
      { numRuns: RUNS, reporter: (details) => { if (details.failed) throw new Error(`${String(details.errorInstance).slice(0, 1500)} (seed ${details.seed})`); } },
    );
    // The inputs must reach past the first checks: some get through CSRF and parsing to the handler's own logic.
    // FUZZ_TALLY=1 prints how far the inputs got, by outcome.
    if (process.env.FUZZ_TALLY) console.log(name, JSON.stringify(Object.fromEntries(tally)));
    const refused = [...tally].filter(([outcome]) => AT_THE_DOOR.has(outcome)).reduce((sum, [, n]) => sum + n, 0);
    expect(RUNS - refused, `outcomes: ${JSON.stringify(Object.fromEntries(tally))}`).toBeGreaterThan(RUNS * 0.05);
  }, 240_000);
}

const encoded = (params: Record<string, string>) => encodeURIComponent(params.providerId ?? '');
const noParams = fc.constant<RouteInput>({ params: {}, body: null });

describe('route handlers under hostile input', () => {
  fuzzRoute('/api/fhir/{provider}', fhirProxy.POST, 'POST', (p) => `/api/fhir/${encoded(p)}`, providerRoute(fhirRequestShape));
  fuzzRoute('/api/fhir/{provider}/download', fhirDownload.POST, 'POST', (p) => `/api/fhir/${encoded(p)}/download`, providerRoute(fhirRequestShape));
  fuzzRoute('/api/oauth/{provider}/token', token.POST, 'POST', (p) => `/api/oauth/${encoded(p)}/token`, providerRoute(tokenShape));
  fuzzRoute('/api/oauth/{provider}/authorize', authorize.POST, 'POST', (p) => `/api/oauth/${encoded(p)}/authorize`, providerRoute(tokenShape));
  fuzzRoute('/api/oauth/{provider}/refresh', refresh.POST, 'POST', (p) => `/api/oauth/${encoded(p)}/refresh`, providerRoute(environmentShape));
  fuzzRoute('/api/oauth/{provider}/introspect', introspect.POST, 'POST', (p) => `/api/oauth/${encoded(p)}/introspect`, providerRoute(environmentShape));
  fuzzRoute('/api/session/simulations/{provider}', simulations.PUT, 'PUT', (p) => `/api/session/simulations/${encoded(p)}`, providerRoute(simulationsShape));
  fuzzRoute('/api/session', session.DELETE, 'DELETE', () => '/api/session', noParams);
  fuzzRoute('/api/session', session.GET, 'GET', () => '/api/session', noParams);
  fuzzRoute('/api/providers', providersRoute.GET, 'GET', () => '/api/providers', noParams);
  fuzzRoute(
    '/api/oauth/{provider}/callback',
    callback.GET,
    'GET',
    (p) => `/api/oauth/${encoded(p)}/callback?${new URLSearchParams(JSON.parse(p.query ?? '{}') as Record<string, string>).toString()}`,
    fc
      .record({
        providerId,
        query: fc
          .record({ code: hostileString, state: hostileString, iss: hostileString, error: hostileString, error_description: hostileString }, { requiredKeys: [] })
          .map((q) => JSON.stringify(q)),
      })
      .map((params) => ({ params, body: null })),
  );
});

/**
 * URLs a user might type for a custom provider. Only ones answered without the network: the built-in SMART sandbox
 * (over the loopback upstream), and targets the URL policy refuses before any connection (http, private, metadata).
 */
const typedServerUrl = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(`${ORIGIN}/sandbox/smart/fhir`, `${ORIGIN}/sandbox/smart`, `${ORIGIN}/sandbox/bcda`) },
  { weight: 1, arbitrary: fc.constantFrom('http://example.org/fhir', 'https://10.0.0.1/fhir', 'https://169.254.169.254/latest', 'https://[::1]/', 'https://user:pw@127.0.0.1/', 'file:///etc/passwd', 'javascript:alert(1)') },
  { weight: 1, arbitrary: hostileString.filter((s) => !/^https:/i.test(s.trim())) },
);

function customProviderShape() {
  return mostlyValid(
    fc.record({
      name: fc.oneof({ weight: 4, arbitrary: fc.constant('SMART sandbox') }, { weight: 1, arbitrary: hostileString }),
      discoveryUrl: typedServerUrl,
      fhirBaseUrl: fc.option(typedServerUrl, { nil: undefined }),
      environmentKind: fc.constantFrom('sandbox', 'production'),
      clientId: fc.oneof({ weight: 4, arbitrary: fc.constant('console-confidential') }, { weight: 1, arbitrary: hostileString }),
      clientSecret: fc.option(hostileString, { nil: undefined }),
      keyKid: fc.option(hostileString, { nil: undefined }),
      config: mostlyValid(
        fc.record({
          grant: fc.constantFrom('authorization_code', 'client_credentials'),
          clientAuth: fc.constantFrom('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'),
          pkce: fc.constantFrom('S256', 'plain', 'none'),
          scopes: fc.array(fc.oneof(fc.constantFrom('system/*.rs', 'patient/*.read', 'openid', 'offline_access'), hostileString), { maxLength: 4 }),
          launch: fc.constantFrom('standalone', 'ehr'),
        }),
        ['grant', 'clientAuth', 'pkce', 'scopes', 'launch', 'assertionAlg'],
      ),
    }),
    ['name', 'discoveryUrl', 'fhirBaseUrl', 'clientId', 'clientSecret', 'keyKid', 'config'],
  );
}

const customProviderId = fc.oneof({ weight: 4, arbitrary: fc.constant('custom-abcdefghij') }, { weight: 1, arbitrary: hostileString });
/** An RFC 7638 thumbprint's shape, or anything. */
const kid = fc.oneof({ weight: 4, arbitrary: fc.constant('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs') }, { weight: 1, arbitrary: hostileString });

describe('custom provider routes under hostile input', () => {
  fuzzRoute('/api/smart/discover', smartDiscover.POST, 'POST', () => '/api/smart/discover', bodyOf(mostlyValid(fc.record({ url: typedServerUrl }), ['url'])).map((body) => ({ params: {}, body })));
  fuzzRoute('/api/smart/providers', smartProviders.POST, 'POST', () => '/api/smart/providers', bodyOf(customProviderShape()).map((body) => ({ params: {}, body })));
  fuzzRoute('/api/smart/providers', smartProviders.GET, 'GET', () => '/api/smart/providers', noParams);
  fuzzRoute(
    '/api/smart/providers/{id}',
    smartProvider.PUT,
    'PUT',
    (p) => `/api/smart/providers/${encodeURIComponent(p.customProviderId ?? '')}`,
    fc.tuple(customProviderId, bodyOf(customProviderShape())).map(([id, body]) => ({ params: { customProviderId: id }, body })),
  );
  fuzzRoute('/api/smart/providers/{id}', smartProvider.DELETE, 'DELETE', (p) => `/api/smart/providers/${encodeURIComponent(p.customProviderId ?? '')}`, customProviderId.map((id) => ({ params: { customProviderId: id }, body: null })));
  fuzzRoute(
    '/api/smart/register',
    smartRegister.POST,
    'POST',
    () => '/api/smart/register',
    bodyOf(
      mostlyValid(
        fc.record({ discoveryUrl: typedServerUrl, grant: fc.constantFrom('authorization_code', 'client_credentials'), scopes: fc.array(hostileString, { maxLength: 3 }), providerId: fc.option(customProviderId, { nil: undefined }) }),
        ['discoveryUrl', 'grant', 'scopes', 'providerId', 'clientName'],
      ),
    ).map((body) => ({ params: {}, body })),
  );
  fuzzRoute(
    '/api/smart/keys',
    smartKeys.POST,
    'POST',
    () => '/api/smart/keys',
    bodyOf(
      fc.oneof(
        mostlyValid(fc.record({ action: fc.constant('generate'), alg: fc.constant('ES384') }), ['action', 'alg']),
        mostlyValid(fc.record({ action: fc.constant('import'), material: fc.oneof(hostileString, fc.constantFrom('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', '{"kty":"EC","crv":"P-384"}', '{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB"}')) }), ['material', 'alg']),
      ),
    ).map((body) => ({ params: {}, body })),
  );
  fuzzRoute('/api/smart/keys/{kid}', smartKey.DELETE, 'DELETE', (p) => `/api/smart/keys/${encodeURIComponent(p.kid ?? '')}`, kid.map((value) => ({ params: { kid: value }, body: null })));
  fuzzRoute('/jwks/{id}', jwks.GET as unknown as Handler, 'GET', (p) => `/jwks/${encodeURIComponent(p.jwksId ?? '')}`, hostileString.map((jwksId) => ({ params: { jwksId }, body: null })), 'provider-format');
});

describe('built-in sandboxes under hostile input', () => {
  const sandboxParams = fc.record({
    provider: providerId,
    path: fc.oneof(
      fc.constantFrom('auth/token', 'api/v2/Patient/$export', 'api/v2/jobs/1', 'data/1/x.ndjson', 'v2/o/token', 'v2/fhir/Patient', 'v2/o/authorize', 'v1/bison/bulk-export/$export', 'api/auth/v2/token', 'contacts'),
      hostileString.map((s) => s.replace(/^\/+/, '')),
    ),
  });
  for (const method of ['GET', 'POST', 'DELETE', 'PUT'] as const) {
    const handler = (sandbox as unknown as Record<string, Handler>)[method]!;
    fuzzRoute(
      `/sandbox/{provider}/{path} (${method})`,
      // Next hands the catch-all as segments.
      (request, context) => handler(request, { params: context.params.then((p) => ({ ...p, path: String(p.path).split('/') })) }),
      method,
      (p) => `/sandbox/${encoded({ providerId: p.provider ?? '' })}/${p.path ?? ''}`,
      fc.tuple(sandboxParams, method === 'GET' ? fc.constant(null) : bodyOf(fhirRequestShape(providers[0]!))).map(([params, body]) => ({ params, body })),
      'provider-format',
    );
  }
});
