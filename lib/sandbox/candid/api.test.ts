import { describe, expect, it } from 'vitest';
import { createCandidSandbox } from './index';
import type { ResourcePage } from './paging';
import type { Encounter, Payer } from './synthetic-data';
import { createTestClock } from '../shared/test-helpers';
import { getAccessToken, getPreset, getWithToken, send } from './test-helpers';

type EncounterPage = ResourcePage<Encounter>;

async function readJson<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe('bearer authentication', () => {
  it.each([
    ['no Authorization header', {}, 'Missing bearer token: send "Authorization: Bearer <access_token>".'],
    ['a Basic header', { Authorization: 'Basic YTpi' }, 'The Authorization header must be "Bearer <access_token>".'],
    ['a token that is not a JWT', { Authorization: 'Bearer not-a-jwt' }, 'Invalid bearer token.'],
  ])('answers 401 UnauthorizedError for %s', async (_name, headers, message) => {
    const response = await send(createCandidSandbox(), '/api/encounters/v4', { headers });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errorName: 'UnauthorizedError', content: { message } });
  });

  it('refuses a token signed by another sandbox instance', async () => {
    const foreign = await getAccessToken(createCandidSandbox(), 'demo-billing');
    const response = await getWithToken(createCandidSandbox(), '/api/encounters/v4', foreign);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errorName: 'UnauthorizedError', content: { message: 'Invalid bearer token.' } });
  });

  it('takes the scheme in any case (RFC 9110 §11.1)', async () => {
    const sandbox = createCandidSandbox();
    const token = await getAccessToken(sandbox, 'demo-billing');
    const response = await send(sandbox, '/api/payers/v3', { headers: { Authorization: `bearer ${token}` } });
    expect(response.status).toBe(200);
  });

  it('accepts the token until 5 hours after it was minted, then answers 401 saying it expired', async () => {
    const clock = createTestClock();
    const sandbox = createCandidSandbox({ now: clock.now });
    const token = await getAccessToken(sandbox, 'demo-billing');

    clock.advance(5 * 3_600_000 - 1_000);
    expect((await getWithToken(sandbox, '/api/encounters/v4?limit=1', token)).status).toBe(200);

    clock.advance(1_000);
    const expired = await getWithToken(sandbox, '/api/encounters/v4?limit=1', token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      errorName: 'UnauthorizedError',
      content: { message: 'The bearer token has expired (tokens last 5 hours). Request a new one from /api/auth/v2/token.' },
    });

    const fresh = await getAccessToken(sandbox, 'demo-billing');
    expect((await getWithToken(sandbox, '/api/encounters/v4?limit=1', fresh)).status).toBe(200);
  });
});

describe('GET /api/encounters/v4', () => {
  it('pages through every encounter, newest first, with prev and next page tokens', async () => {
    const sandbox = createCandidSandbox();
    const token = await getAccessToken(sandbox, 'demo-billing');

    const first = await getWithToken(sandbox, '/api/encounters/v4', token);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    const page1 = await readJson<EncounterPage>(first);
    expect(Object.keys(page1)).toEqual(['items', 'prev_page_token', 'next_page_token']);
    expect(page1.items).toHaveLength(100);
    expect(page1.prev_page_token).toBeNull();
    expect(page1.next_page_token).toEqual(expect.any(String));

    const page2 = await readJson<EncounterPage>(
      await getWithToken(sandbox, `/api/encounters/v4?page_token=${encodeURIComponent(page1.next_page_token ?? '')}`, token),
    );
    expect(page2.items).toHaveLength(37);
    expect(page2.next_page_token).toBeNull();
    expect(page2.prev_page_token).toEqual(expect.any(String));

    const back = await readJson<EncounterPage>(
      await getWithToken(sandbox, `/api/encounters/v4?page_token=${encodeURIComponent(page2.prev_page_token ?? '')}`, token),
    );
    expect(back).toEqual(page1);

    const all = [...page1.items, ...page2.items];
    expect(new Set(all.map((e) => e.encounter_id)).size).toBe(137);
    const created = all.map((e) => e.created_at);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('pages with a small limit', async () => {
    const sandbox = createCandidSandbox();
    const token = await getAccessToken(sandbox, 'demo-read-only');
    const ids: string[] = [];
    let path = '/api/encounters/v4?limit=10';
    for (let pages = 0; pages < 10; pages++) {
      const page = await readJson<EncounterPage>(await getWithToken(sandbox, path, token));
      ids.push(...page.items.map((e) => e.encounter_id));
      if (!page.next_page_token) break;
      path = `/api/encounters/v4?limit=10&page_token=${page.next_page_token}`;
    }
    expect(ids).toHaveLength(42);
    expect(new Set(ids).size).toBe(42);
  });

  it('filters by claim status and patient external id', async () => {
    const sandbox = createCandidSandbox();
    const token = await getAccessToken(sandbox, 'demo-billing');
    const paid = await readJson<EncounterPage>(await getWithToken(sandbox, '/api/encounters/v4?claim_status=paid', token));
    expect(paid.items.length).toBeGreaterThan(0);
    expect(paid.items.length).toBeLessThan(137);
    for (const encounter of paid.items) expect(encounter.claims.map((c) => c.status)).toContain('paid');

    const patientId = paid.items[0]?.patient.external_id ?? '';
    const byPatient = await readJson<EncounterPage>(
      await getWithToken(sandbox, `/api/encounters/v4?patient_external_id=${patientId}`, token),
    );
    expect(byPatient.items.length).toBeGreaterThan(0);
    for (const encounter of byPatient.items) expect(encounter.patient.external_id).toBe(patientId);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1001', 'limit'],
    ['page_token=%%%', 'page_token'],
    [`page_token=${Buffer.from('{"offset":-1}').toString('base64url')}`, 'page_token'],
    ['claim_status=lost', 'claim_status'],
  ])('answers 422 HttpRequestValidationsError for %s', async (query, fieldName) => {
    const sandbox = createCandidSandbox();
    const token = await getAccessToken(sandbox, 'demo-billing');
    const response = await getWithToken(sandbox, `/api/encounters/v4?${query}`, token);
    expect(response.status).toBe(422);
    const body = await readJson<{ errorName: string; content: Array<{ fieldName: string }> }>(response);
    expect(body.errorName).toBe('HttpRequestValidationsError');
    expect(body.content.map((e) => e.fieldName)).toEqual([fieldName]);
  });

  it('returns encounters in Candid’s v4 shape with the SDK’s enum values', async () => {
    const sandbox = createCandidSandbox();
    const token = await getAccessToken(sandbox, 'demo-billing');
    const { items } = await readJson<EncounterPage>(await getWithToken(sandbox, '/api/encounters/v4?limit=1', token));
    const [encounter] = items;
    expect(encounter).toMatchObject({
      encounter_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      date_of_service: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      billing_provider: { organization_name: 'Maple Grove Family Medicine', npi: expect.stringMatching(/^\d{10}$/) },
      service_facility: { organization_name: 'Maple Grove Family Medicine' },
      billable_status: 'BILLABLE',
      submission_origin: 'CANDID',
      url: `http://localhost:3000/sandbox/candid/api/encounters/v4/${encounter?.encounter_id}`,
    });
    expect(['INSURANCE_PAY', 'SELF_PAY']).toContain(encounter?.responsible_party);
    expect(encounter?.diagnoses[0]).toMatchObject({ code_type: 'ABK', encounter_id: encounter?.encounter_id });
  });
});

describe('GET /api/encounters/v4/{encounter_id}', () => {
  it('returns the same encounter as the list', async () => {
    const sandbox = createCandidSandbox();
    const token = await getAccessToken(sandbox, 'demo-billing');
    const { items } = await readJson<EncounterPage>(await getWithToken(sandbox, '/api/encounters/v4?limit=50', token));
    const listed = items[42];
    const response = await getWithToken(sandbox, `/api/encounters/v4/${listed?.encounter_id}`, token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(listed);
  });

  it('answers 404 EntityNotFoundError for an unknown id and for another organisation’s encounter', async () => {
    const sandbox = createCandidSandbox();
    const billingToken = await getAccessToken(sandbox, 'demo-billing');
    const readOnlyToken = await getAccessToken(sandbox, 'demo-read-only');
    const unknown = '00000000-0000-4000-8000-000000000000';
    const missing = await getWithToken(sandbox, `/api/encounters/v4/${unknown}`, billingToken);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errorName: 'EntityNotFoundError', content: { id: unknown } });

    const { items } = await readJson<EncounterPage>(await getWithToken(sandbox, '/api/encounters/v4?limit=1', readOnlyToken));
    const theirs = items[0]?.encounter_id ?? '';
    expect((await getWithToken(sandbox, `/api/encounters/v4/${theirs}`, readOnlyToken)).status).toBe(200);
    expect((await getWithToken(sandbox, `/api/encounters/v4/${theirs}`, billingToken)).status).toBe(404);
  });

  it('answers 422 for an id that is not a UUID', async () => {
    const sandbox = createCandidSandbox();
    const token = await getAccessToken(sandbox, 'demo-billing');
    const response = await getWithToken(sandbox, '/api/encounters/v4/12345', token);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      errorName: 'HttpRequestValidationsError',
      content: [{ fieldName: 'encounter_id', humanReadableMessage: 'encounter_id must be a UUID.' }],
    });
  });
});

describe('writes', () => {
  it('refuses a read-only key with 403 UnauthorizedError and tells a read-write key writes are not emulated', async () => {
    const sandbox = createCandidSandbox();
    const readOnlyToken = await getAccessToken(sandbox, 'demo-read-only');
    const billingToken = await getAccessToken(sandbox, 'demo-billing');
    const create = (token: string) =>
      send(sandbox, '/api/encounters/v4', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
    const refused = await create(readOnlyToken);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      errorName: 'UnauthorizedError',
      content: { message: 'This API key is read-only: it may not create or update encounters.' },
    });
    const notEmulated = await create(billingToken);
    expect(notEmulated.status).toBe(501);
    expect(await notEmulated.json()).toMatchObject({ errorName: 'NotImplementedError' });
  });

  it('answers 405 for methods the API does not have', async () => {
    const sandbox = createCandidSandbox();
    const del = await send(sandbox, '/api/encounters/v4', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, POST');
    expect((await send(sandbox, '/api/payers/v3', { method: 'POST' })).headers.get('allow')).toBe('GET');
  });
});

describe('GET /api/payers/v3', () => {
  it('lists, searches, pages and reads payers', async () => {
    const sandbox = createCandidSandbox();
    const token = await getAccessToken(sandbox, 'demo-read-only');
    const all = await readJson<ResourcePage<Payer>>(await getWithToken(sandbox, '/api/payers/v3', token));
    expect(all.items.length).toBeGreaterThanOrEqual(8);
    expect(all.next_page_token).toBeNull();

    const aetna = await readJson<ResourcePage<Payer>>(await getWithToken(sandbox, '/api/payers/v3?search_term=AETNA', token));
    expect(aetna.items).toEqual([expect.objectContaining({ payer_id: '60054', payer_name: 'Aetna' })]);

    const page = await readJson<ResourcePage<Payer>>(await getWithToken(sandbox, '/api/payers/v3?limit=3', token));
    expect(page.items).toHaveLength(3);
    expect(page.next_page_token).toEqual(expect.any(String));

    const uuid = aetna.items[0]?.payer_uuid ?? '';
    const read = await getWithToken(sandbox, `/api/payers/v3/${uuid}`, token);
    expect(await read.json()).toEqual(aetna.items[0]);
    expect((await getWithToken(sandbox, '/api/payers/v3/00000000-0000-4000-8000-000000000000', token)).status).toBe(404);
  });

  it('needs a token', async () => {
    expect((await send(createCandidSandbox(), '/api/payers/v3')).status).toBe(401);
  });
});

describe('other routes', () => {
  it('answers 404 for paths the sandbox does not emulate', async () => {
    const response = await send(createCandidSandbox(), '/api/claims/v2');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errorName: 'NotFoundError' });
  });
});

describe('determinism', () => {
  it('gives the same bytes from two instances, whatever the clock says', async () => {
    const text = async (startMs: number) => {
      const sandbox = createCandidSandbox({ now: createTestClock(startMs).now });
      const token = await getAccessToken(sandbox, 'demo-billing');
      return (await getWithToken(sandbox, '/api/encounters/v4?limit=25', token)).text();
    };
    expect(await text(Date.UTC(2026, 7, 1))).toBe(await text(Date.UTC(2027, 0, 1)));
  });

  it('gives each organisation its own data', async () => {
    const sandbox = createCandidSandbox();
    const ids = async (presetId: string) => {
      const token = await getAccessToken(sandbox, presetId);
      const page = await readJson<EncounterPage>(await getWithToken(sandbox, '/api/encounters/v4', token));
      return page.items.map((e) => e.encounter_id);
    };
    const billingIds = new Set(await ids('demo-billing'));
    for (const id of await ids('demo-read-only')) expect(billingIds.has(id)).toBe(false);
    expect(getPreset('demo-read-only').facts.encounters).toBe(42);
  });
});
