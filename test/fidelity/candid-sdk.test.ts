import { CandidApi, CandidApiClient, serialization } from 'candidhealth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candid } from '@/lib/providers/candid';
import { createCandidSandbox } from '@/lib/sandbox/candid';
import { claimStatuses } from '@/lib/sandbox/candid/synthetic-data';
import { startLoopbackSandbox, type LoopbackSandbox } from '@/test/loopback-sandbox';

/**
 * Issue #14: Candid's own TypeScript SDK (`candidhealth`, a devDependency pinned to the 1.33 line), pointed at the
 * built-in sandbox over real HTTP with a preset's client id and secret, exactly as an integrator would point it at
 * Candid. It mints its own token and calls every endpoint the sandbox implements; each answer must parse with the
 * SDK. The SDK itself tolerates unknown keys, so every body it received is also parsed strictly with its
 * serialization schemas (no unknown key, no unknown enum value): a misspelt field such as `address_1` fails here.
 */

const mountPath = '/sandbox/candid';
const builtinPresets = candid.presets.filter((preset) => preset.environments.includes('builtin'));

interface Exchange {
  method: string;
  url: URL;
  status: number;
  body: unknown;
}

const strict = { unrecognizedObjectKeys: 'fail', allowUnrecognizedEnumValues: false, allowUnrecognizedUnionMembers: false, skipValidation: false } as const;

/** The SDK's schema errors for a raw body, as `path: message` lines. */
function strictProblems(schema: { parse: (raw: unknown, options: typeof strict) => { ok: true } | { ok: false; errors: { path: string[]; message: string }[] } }, body: unknown): string[] {
  const result = schema.parse(body, strict);
  return result.ok ? [] : result.errors.map((error) => `${error.path.join('.')}: ${error.message}`);
}

let sandbox: LoopbackSandbox;
let environment: { candidApi: string; preEncounter: string };

beforeAll(async () => {
  sandbox = await startLoopbackSandbox(mountPath, createCandidSandbox({ mountPath }));
  const base = `${sandbox.origin}${mountPath}`;
  environment = { candidApi: base, preEncounter: base };
});
afterAll(() => sandbox.close());

/** An SDK client as its README constructs one, recording what went over the wire. */
function sdkClient(clientId: string, clientSecret: string) {
  const exchanges: Exchange[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.clone().text();
    const url = new URL(input instanceof Request ? input.url : String(input));
    exchanges.push({ method: init?.method ?? 'GET', url, status: response.status, body: text ? (JSON.parse(text) as unknown) : null });
    return response;
  };
  const client = new CandidApiClient({ clientId, clientSecret, environment, maxRetries: 0, fetch: recordingFetch });
  return { client, exchanges };
}

/** The body of a successful SDK call (the SDK answers `{ ok, body | error }` rather than throwing). */
function ok<T>(response: { ok: true; body: T } | { ok: false; error: unknown }): T {
  if (!response.ok) throw new Error(`the SDK reported an error: ${JSON.stringify(response.error)}`);
  return response.body;
}

describe.each(builtinPresets.map((preset) => [preset.id, preset] as const))('the Candid SDK against the sandbox, preset %s', (_id, preset) => {
  const facts = preset.facts as { encounters: number };

  it('mints its own token, then pages through every encounter and reads each one: all parse, strictly too', async () => {
    const { client, exchanges } = sdkClient(preset.clientId, preset.clientSecret);
    const ids: string[] = [];
    let pageToken: CandidApi.PageToken | undefined;
    do {
      const page = ok(await client.encounters.v4.getAll({ limit: 25, pageToken }));
      ids.push(...page.items.map((encounter) => encounter.encounterId));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(ids).toHaveLength(facts.encounters);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(ok(await client.encounters.v4.get(CandidApi.EncounterId(id))).encounterId).toBe(id);

    // One token for the whole run: the SDK's own client-credentials call, with the preset's id and secret.
    const tokenCalls = exchanges.filter((exchange) => exchange.url.pathname === `${mountPath}/api/auth/v2/token`);
    expect(tokenCalls.map((call) => call.status)).toEqual([200]);
    expect(strictProblems(serialization.auth.default_.AuthGetTokenResponse, tokenCalls[0]!.body)).toEqual([]);

    const encounterBodies = exchanges.flatMap((exchange) => {
      if (exchange.url.pathname === `${mountPath}/api/encounters/v4`) return (exchange.body as { items: unknown[] }).items;
      return exchange.url.pathname.startsWith(`${mountPath}/api/encounters/v4/`) ? [exchange.body] : [];
    });
    expect(encounterBodies).toHaveLength(2 * facts.encounters);
    const failing = encounterBodies.map((body) => strictProblems(serialization.encounters.v4.Encounter, body)).filter((problems) => problems.length > 0);
    expect(failing.slice(0, 3), `${failing.length} of ${encounterBodies.length} encounters fail the SDK's schema`).toEqual([]);
    const pages = exchanges.filter((exchange) => exchange.url.pathname === `${mountPath}/api/encounters/v4`);
    for (const page of pages) expect(strictProblems(serialization.encounters.v4.EncounterPage, page.body)).toEqual([]);
  });

  it('filters by claim status and patient external id as the SDK sends them', async () => {
    const { client } = sdkClient(preset.clientId, preset.clientSecret);
    const paid = ok(await client.encounters.v4.getAll({ claimStatus: CandidApi.ClaimStatus.Paid, limit: 1000 })).items;
    expect(paid.length).toBeGreaterThan(0);
    for (const encounter of paid) expect(encounter.claims.some((claim) => claim.status === CandidApi.ClaimStatus.Paid)).toBe(true);
    const [first] = ok(await client.encounters.v4.getAll({ limit: 1 })).items;
    const mine = ok(await client.encounters.v4.getAll({ patientExternalId: first!.patient.externalId, limit: 1000 })).items;
    expect(mine.map((encounter) => encounter.encounterId)).toContain(first!.encounterId);
    for (const encounter of mine) expect(encounter.patient.externalId).toBe(first!.patient.externalId);
    // Every status the sandbox filters on is one the SDK knows.
    for (const status of claimStatuses) expect(Object.values(CandidApi.ClaimStatus)).toContain(status);
  });

  it('lists, searches and reads payers', async () => {
    const { client, exchanges } = sdkClient(preset.clientId, preset.clientSecret);
    const payers: CandidApi.payers.v3.Payer[] = [];
    let pageToken: CandidApi.PageToken | undefined;
    do {
      const page = ok(await client.payers.v3.getAll({ limit: 3, pageToken }));
      payers.push(...page.items);
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(payers.length).toBeGreaterThan(3);
    const aetna = ok(await client.payers.v3.getAll({ searchTerm: 'aetna' })).items;
    expect(aetna.map((payer) => payer.payerName)).toEqual(['Aetna']);
    for (const payer of payers) expect(ok(await client.payers.v3.get(CandidApi.payers.v3.PayerUuid(payer.payerUuid))).payerId).toBe(payer.payerId);
    for (const exchange of exchanges.filter((e) => e.url.pathname.startsWith(`${mountPath}/api/payers/v3`))) {
      const schema = exchange.url.pathname === `${mountPath}/api/payers/v3` ? serialization.payers.v3.PayerPage : serialization.payers.v3.Payer;
      expect(strictProblems(schema, exchange.body), exchange.url.href).toEqual([]);
    }
  });
});

describe('the SDK reads the sandbox’s errors as Candid’s typed errors', () => {
  const [readWrite, readOnly] = [builtinPresets.find((p) => (p.facts as { access: string }).access === 'read-write')!, builtinPresets.find((p) => (p.facts as { access: string }).access === 'read-only')!];

  it('an unknown encounter or payer is 404 EntityNotFoundError; a bad limit is HttpRequestValidationsError', async () => {
    const { client } = sdkClient(readWrite.clientId, readWrite.clientSecret);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const response of [await client.encounters.v4.get(CandidApi.EncounterId(missing)), await client.payers.v3.get(CandidApi.payers.v3.PayerUuid(missing))]) {
      expect(response.ok).toBe(false);
      const content = (response as { error: { content: { reason: string; statusCode: number; body: unknown } } }).error.content;
      expect(content).toMatchObject({ reason: 'status-code', statusCode: 404, body: { errorName: 'EntityNotFoundError', content: { id: missing } } });
    }
    const invalid = await client.encounters.v4.getAll({ limit: 0 });
    expect(invalid.ok).toBe(false);
    if (invalid.ok) return;
    expect(invalid.error.errorName).toBe('HttpRequestValidationsError');
    expect(invalid.error.content).toEqual([{ fieldName: 'limit', humanReadableMessage: expect.stringContaining('limit') }]);
  });

  it('a read-only key updating an encounter gets UnauthorizedError', async () => {
    const { client } = sdkClient(readOnly.clientId, readOnly.clientSecret);
    const [encounter] = ok(await client.encounters.v4.getAll({ limit: 1 })).items;
    const update = await client.encounters.v4.update(CandidApi.EncounterId(encounter!.encounterId), { priorAuthorizationNumber: CandidApi.encounters.v4.PriorAuthorizationNumber('PA-1') });
    expect(update.ok).toBe(false);
    if (update.ok) return;
    expect(update.error.errorName).toBe('UnauthorizedError');
    expect(update.error.content).toEqual({ message: expect.stringContaining('read-only') });
  });

  it('the token endpoint: wrong secret is 401 UnauthorizedError, and minting past the limit is TooManyRequestsError', async () => {
    const wrong = sdkClient(readWrite.clientId, `${readWrite.clientSecret}x`);
    const refused = await wrong.client.auth.default.getToken({ clientId: readWrite.clientId, clientSecret: `${readWrite.clientSecret}x` });
    expect(refused.ok).toBe(false);
    expect(wrong.exchanges.map((exchange) => [exchange.status, (exchange.body as { errorName?: string }).errorName])).toEqual([[401, 'UnauthorizedError']]);

    // A fresh sandbox so the limit counts only these calls: 10 tokens per minute per client id.
    const own = await startLoopbackSandbox(mountPath, createCandidSandbox({ mountPath, tokenRateLimit: { max: 2, windowSeconds: 60 } }));
    try {
      const base = `${own.origin}${mountPath}`;
      const client = new CandidApiClient({ clientId: readOnly.clientId, clientSecret: readOnly.clientSecret, environment: { candidApi: base, preEncounter: base }, maxRetries: 0 });
      const request = { clientId: readOnly.clientId, clientSecret: readOnly.clientSecret };
      expect((await client.auth.default.getToken(request)).ok).toBe(true);
      expect((await client.auth.default.getToken(request)).ok).toBe(true);
      const limited = await client.auth.default.getToken(request);
      expect(limited.ok).toBe(false);
      if (limited.ok) return;
      expect(limited.error.errorName).toBe('TooManyRequestsError');
      expect(limited.error.content).toEqual({ message: expect.any(String) });
    } finally {
      await own.close();
    }
  });
});
