import { describe, expect, it } from 'vitest';
import { createOneUpHealthSandbox } from './index';
import { createTestClock } from '../shared/test-helpers';
import { bearer, bulkBase, getKeycloakToken, send, testBase, toSandboxPath, type Bundle } from './test-helpers';

const fhirBase = `${testBase}${bulkBase}`;

async function setup(presetId = 'provider-access') {
  const clock = createTestClock();
  const sandbox = createOneUpHealthSandbox({ now: clock.now });
  const token = await getKeycloakToken(sandbox, presetId);
  const get = (path: string, authToken = token) => send(sandbox, path, { headers: bearer(authToken) });
  return { clock, sandbox, token, get };
}

describe('bison FHIR server (Provider Access, Payer-to-Payer)', () => {
  it('serves its CapabilityStatement without a token, pointing at the Keycloak token URL', async () => {
    const { sandbox } = await setup();
    const response = await send(sandbox, `${bulkBase}/metadata`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    const statement = (await response.json()) as { fhirVersion: string; implementation: { url: string }; rest: Array<{ security: { extension: Array<{ extension: Array<{ valueUri: string }> }> } }> };
    expect(statement.fhirVersion).toBe('4.0.1');
    expect(statement.implementation.url).toBe(fhirBase);
    expect(statement.rest[0]?.security.extension[0]?.extension[0]?.valueUri).toBe(`${testBase}/auth/realms/dev-portal/protocol/openid-connect/token`);
  });

  it('pages a Patient search over the client’s 150 attributed members with next links', async () => {
    const { get } = await setup();
    const first = await get(`${bulkBase}/Patient?_count=50`);
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as Bundle;
    expect(page1).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 150 });
    expect(page1.entry).toHaveLength(50);
    expect(page1.link.find((link) => link.relation === 'self')?.url).toBe(`${fhirBase}/Patient?_count=50`);
    const seen = new Set(page1.entry?.map((entry) => entry.resource.id));
    let next = page1.link.find((link) => link.relation === 'next')?.url;
    expect(next).toBe(`${fhirBase}/Patient?_count=50&_offset=50`);
    let pages = 1;
    while (next) {
      const page = (await (await get(toSandboxPath(next))).json()) as Bundle;
      for (const entry of page.entry ?? []) seen.add(entry.resource.id);
      next = page.link.find((link) => link.relation === 'next')?.url;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen.size).toBe(150);
  });

  it('finds Jason Argonaut by member id and reads his claims and coverage', async () => {
    const { get } = await setup();
    const search = (await (await get(`${bulkBase}/Patient?identifier=08-testmemid`)).json()) as Bundle<{ name: Array<{ given: string[]; family: string }>; birthDate: string }>;
    expect(search.total).toBe(1);
    const jason = search.entry?.[0]?.resource;
    expect(jason?.name[0]).toEqual({ use: 'official', family: 'Argonaut', given: ['Jason'] });
    expect(jason?.birthDate).toBe('1986-01-01');

    const read = await get(`${bulkBase}/Patient/${jason?.id}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { id: string }).id).toBe(jason?.id);

    const coverage = (await (await get(`${bulkBase}/Coverage?patient=Patient/${jason?.id}`)).json()) as Bundle<{ beneficiary: { reference: string } }>;
    expect(coverage.total).toBeGreaterThan(0);
    for (const entry of coverage.entry ?? []) expect(entry.resource.beneficiary.reference).toBe(`Patient/${jason?.id}`);

    const eobs = (await (await get(`${bulkBase}/ExplanationOfBenefit?patient=${jason?.id}&_count=100`)).json()) as Bundle<{ patient: { reference: string } }>;
    for (const entry of eobs.entry ?? []) expect(entry.resource.patient.reference).toBe(`Patient/${jason?.id}`);
  });

  it('keeps each client to its own group: Payer-to-Payer sees 40 members, not the others', async () => {
    const providerAccess = await setup('provider-access');
    const attributed = (await (await providerAccess.get(`${bulkBase}/Patient?_count=100&_offset=100`)).json()) as Bundle;
    // The 101st attributed member (index 133) did not opt in to Payer-to-Payer.
    const notOptedIn = String(attributed.entry?.[0]?.resource.id);

    const p2p = await setup('payer-to-payer');
    const bundle = (await (await p2p.get(`${bulkBase}/Patient?_count=100`)).json()) as Bundle;
    expect(bundle.total).toBe(40);
    const groups = (await (await p2p.get(`${bulkBase}/Group`)).json()) as Bundle<{ quantity: number }>;
    expect(groups.entry?.map((entry) => [entry.resource.id, entry.resource.quantity])).toEqual([['bison-payer-to-payer-opt-in', 40]]);
    expect((await p2p.get(`${bulkBase}/Group/bison-provider-attributed`)).status).toBe(404);
    expect(bundle.entry?.map((entry) => entry.resource.id)).not.toContain(notOptedIn);
    expect((await p2p.get(`${bulkBase}/Patient/${notOptedIn}`)).status).toBe(404);
    expect((await providerAccess.get(`${bulkBase}/Patient/${notOptedIn}`)).status).toBe(200);
  });

  it('refuses a missing, forged or expired token with 401 and a token without the bulk scope with 403', async () => {
    const { sandbox, clock, token, get } = await setup();
    const missing = await send(sandbox, `${bulkBase}/Patient`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { resourceType: string; issue: Array<{ code: string }> }).issue[0]?.code).toBe('login');

    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await get(`${bulkBase}/Patient`, forged)).status).toBe(401);

    clock.advance(301_000);
    const expired = await get(`${bulkBase}/Patient`);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(((await expired.json()) as { issue: Array<{ diagnostics: string }> }).issue[0]?.diagnostics).toBe('Token is expired');

    const noScope = await getKeycloakToken(sandbox, 'provider-access', '');
    expect((await get(`${bulkBase}/Patient`, noScope)).status).toBe(403);
  });

  it('rejects a bad _count and 404s unknown types and tenants', async () => {
    const { get } = await setup();
    expect((await get(`${bulkBase}/Patient?_count=abc`)).status).toBe(400);
    expect((await get(`${bulkBase}/Observation`)).status).toBe(404);
    expect((await get('/v1/acme/bulk-export/bulk-data/r4/Patient')).status).toBe(404);
  });

  it('answers the same bytes for the same request on another instance (deterministic data)', async () => {
    const a = await setup();
    const b = await setup();
    const path = `${bulkBase}/ExplanationOfBenefit?_count=25&_offset=25`;
    expect(await (await a.get(path)).text()).toBe(await (await b.get(path)).text());
  });
});
