import { describe, expect, it } from 'vitest';
import type { Contact } from './contact';
import { seededContactsPerAgent } from './synthetic-contacts';
import { bearer, createTestSandbox, getTokens, refreshRequest, secondAgent, send, type TokenBody } from './test-helpers';

type ContactList = { data: { contacts: Contact[] }; meta: { page: number; per_page: number; total_count: number; total_pages: number } };

function createContact(token: string, body: unknown, contentType = 'application/json'): RequestInit {
  return {
    method: 'POST',
    headers: { ...bearer(token), 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

describe('API authentication errors, as the seed documents them', () => {
  it('answers 401 missing_authorization without an Authorization header', async () => {
    const { sandbox } = createTestSandbox();
    for (const init of [{}, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }]) {
      const response = await send(sandbox, '/v2/contacts', init);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toEqual({ error: { message: 'Missing authorization header', code: 'missing_authorization' } });
    }
  });

  it.each([
    ['an unknown token', 'Bearer not-a-token'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a bare "Bearer"', 'Bearer'],
  ])('answers 401 invalid_token for %s', async (_name, authorization) => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, '/v2/contacts', { headers: { Authorization: authorization } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { message: 'The access token is invalid.', code: 'invalid_token' } });
  });

  it('expires access tokens after exactly 3600 seconds', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { access_token: token } = await getTokens(sandbox);
    clock.advance(3600 * 1000 - 1);
    expect((await send(sandbox, '/v2/contacts', { headers: bearer(token) })).status).toBe(200);
    clock.advance(1);
    const expired = await send(sandbox, '/v2/contacts', { headers: bearer(token) });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: { message: 'The access token is invalid.', code: 'invalid_token' } });
  });

  it('can answer in Doorkeeper’s OAuth format instead (apiAuthErrors: "oauth")', async () => {
    const { sandbox, clock } = createTestSandbox({ apiAuthErrors: 'oauth' });
    const tokens = await getTokens(sandbox);
    clock.advance(3600 * 1000);
    const expired = await send(sandbox, '/v2/contacts', { headers: bearer(tokens.access_token) });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: 'invalid_token', error_description: 'The access token expired' });
    expect(expired.headers.get('www-authenticate')).toBe(
      'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token expired"',
    );
    const next = (await (await send(sandbox, '/oauth/token', refreshRequest(tokens.refresh_token))).json()) as TokenBody;
    expect(next.access_token).toBeTruthy();
    const revoked = await send(sandbox, '/v2/contacts', { headers: bearer(tokens.access_token) });
    expect(await revoked.json()).toEqual({ error: 'invalid_token', error_description: 'The access token was revoked' });
    const missing = await send(sandbox, '/v2/contacts');
    expect(await missing.json()).toEqual({ error: 'invalid_token', error_description: 'The access token is invalid' });
  });
});

describe('POST /v2/contacts', () => {
  it('creates a contact with every documented field, normalised', async () => {
    const { sandbox, clock } = createTestSandbox();
    const { access_token: token } = await getTokens(sandbox);
    const response = await send(
      sandbox,
      '/v2/contacts',
      createContact(token, {
        contact: {
          external_id: 'CRM124',
          first_name: 'Jane',
          middle_name: 'Q',
          last_name: 'Roe',
          birth_date: '04/15/1955',
          sex: 'F',
          email: 'jane.roe@example.com',
          phone: '(202) 555-0143',
          medicare_number: '1eg4-te5-mk73',
          zip_code: '20001',
          drugs: [{ name: 'Atorvastatin 20 MG Oral Tablet', quantity: 30 }],
          unknown_field: 'ignored',
        },
      }),
    );
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { contact: Contact } };
    expect(data.contact).toMatchObject({
      external_id: 'CRM124',
      first_name: 'Jane',
      middle_name: 'Q',
      last_name: 'Roe',
      birth_date: '1955-04-15',
      sex: 'female',
      phone: '2025550143',
      medicare_number: '1EG4TE5MK73',
      drugs: [{ name: 'Atorvastatin 20 MG Oral Tablet', quantity: 30 }],
      pharmacies: [],
      created_at: new Date(clock.now()).toISOString(),
    });
    expect(data.contact).not.toHaveProperty('unknown_field');

    const fetched = await send(sandbox, `/v2/contacts/${data.contact.id}`, { headers: bearer(token) });
    expect(((await fetched.json()) as { data: { contact: Contact } }).data.contact).toEqual(data.contact);
  });

  it('answers 422 listing every invalid field', async () => {
    const { sandbox } = createTestSandbox();
    const { access_token: token } = await getTokens(sandbox);
    const response = await send(
      sandbox,
      '/v2/contacts',
      createContact(token, { contact: { first_name: ' ', birth_date: '1955-13-01', sex: 'x', phone: '555-0143' } }),
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: {
        message:
          "Validation failed: External can't be blank, First name can't be blank, Last name can't be blank, Birth date is invalid, Sex is not included in the list, Phone must be 10 digits",
        code: 'validation_error',
      },
    });
  });

  it.each([
    ['no contact key', { first_name: 'John' }, 'application/json'],
    ['an empty contact', { contact: {} }, 'application/json'],
    ['a form body', 'contact=John', 'application/x-www-form-urlencoded'],
  ])('answers 400 parameter_missing for %s', async (_name, body, contentType) => {
    const { sandbox } = createTestSandbox();
    const { access_token: token } = await getTokens(sandbox);
    const response = await send(sandbox, '/v2/contacts', createContact(token, body, contentType));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { message: 'param is missing or the value is empty: contact', code: 'parameter_missing' } });
  });

  it('answers 400 for malformed JSON', async () => {
    const { sandbox } = createTestSandbox();
    const { access_token: token } = await getTokens(sandbox);
    const response = await send(sandbox, '/v2/contacts', createContact(token, '{"contact": '));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });
});

describe('GET /v2/contacts', () => {
  it('lists the agent’s seeded contacts, then the created ones, with paging', async () => {
    const { sandbox } = createTestSandbox();
    const { access_token: token } = await getTokens(sandbox);
    const first = (await (await send(sandbox, '/v2/contacts', { headers: bearer(token) })).json()) as ContactList;
    expect(first.meta).toEqual({ page: 1, per_page: 25, total_count: seededContactsPerAgent, total_pages: 1 });
    expect(first.data.contacts).toHaveLength(seededContactsPerAgent);

    await send(sandbox, '/v2/contacts', createContact(token, { contact: { external_id: 'CRM123', first_name: 'John', last_name: 'Doe' } }));
    const page2 = (await (await send(sandbox, '/v2/contacts?page=2&per_page=4', { headers: bearer(token) })).json()) as ContactList;
    expect(page2.meta).toEqual({ page: 2, per_page: 4, total_count: seededContactsPerAgent + 1, total_pages: 2 });
    expect(page2.data.contacts.map((c) => c.external_id)).toEqual(['DEMO-1005', 'DEMO-1006', 'CRM123']);
  });

  it('filters by last_name (any case) and by medicare_number', async () => {
    const { sandbox } = createTestSandbox();
    const { access_token: token } = await getTokens(sandbox);
    const all = (await (await send(sandbox, '/v2/contacts', { headers: bearer(token) })).json()) as ContactList;
    const target = all.data.contacts[2];
    if (!target?.medicare_number) throw new Error('no seeded contact');
    const byName = (await (
      await send(sandbox, `/v2/contacts?last_name=${target.last_name.toUpperCase()}`, { headers: bearer(token) })
    ).json()) as ContactList;
    expect(byName.data.contacts.map((c) => c.id)).toContain(target.id);
    expect(byName.data.contacts.every((c) => c.last_name === target.last_name)).toBe(true);
    const mbi = target.medicare_number;
    const dashed = `${mbi.slice(0, 4)}-${mbi.slice(4, 7)}-${mbi.slice(7)}`.toLowerCase();
    const byMbi = (await (await send(sandbox, `/v2/contacts?medicare_number=${dashed}`, { headers: bearer(token) })).json()) as ContactList;
    expect(byMbi.data.contacts.map((c) => c.id)).toEqual([target.id]);
  });

  it.each(['page=0', 'page=x', 'per_page=101', 'per_page=0'])('answers 400 for %s', async (query) => {
    const { sandbox } = createTestSandbox();
    const { access_token: token } = await getTokens(sandbox);
    const response = await send(sandbox, `/v2/contacts?${query}`, { headers: bearer(token) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });

  it('keeps each agent’s contacts to that agent', async () => {
    const { sandbox } = createTestSandbox();
    const first = await getTokens(sandbox);
    const second = await getTokens(sandbox, secondAgent);
    const created = await send(
      sandbox,
      '/v2/contacts',
      createContact(first.access_token, { contact: { external_id: 'CRM123', first_name: 'John', last_name: 'Doe' } }),
    );
    const { data } = (await created.json()) as { data: { contact: Contact } };
    const firstList = (await (await send(sandbox, '/v2/contacts', { headers: bearer(first.access_token) })).json()) as ContactList;
    const secondList = (await (await send(sandbox, '/v2/contacts', { headers: bearer(second.access_token) })).json()) as ContactList;
    const firstIds = new Set(firstList.data.contacts.map((c) => c.id));
    expect(secondList.data.contacts.some((c) => firstIds.has(c.id))).toBe(false);
    expect(secondList.data.contacts).toHaveLength(seededContactsPerAgent);
    const foreign = await send(sandbox, `/v2/contacts/${data.contact.id}`, { headers: bearer(second.access_token) });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: { message: 'Contact not found', code: 'not_found' } });
  });
});

describe('GET /v2/contacts/search', () => {
  it('finds by medicare_number, or by name with a birth date, email or phone', async () => {
    const { sandbox } = createTestSandbox();
    const { access_token: token } = await getTokens(sandbox);
    const all = (await (await send(sandbox, '/v2/contacts', { headers: bearer(token) })).json()) as ContactList;
    const target = all.data.contacts[0];
    if (!target?.birth_date || !target.phone || !target.medicare_number) throw new Error('no seeded contact');
    const [year, month, day] = target.birth_date.split('-');
    const queries = [
      `medicare_number=${target.medicare_number}`,
      `first_name=${target.first_name}&last_name=${target.last_name}&birth_date=${month}/${day}/${year}`,
      `first_name=${target.first_name.toLowerCase()}&last_name=${target.last_name}&email=${target.email}`,
      `first_name=${target.first_name}&last_name=${target.last_name}&phone=${target.phone}`,
    ];
    for (const query of queries) {
      const response = await send(sandbox, `/v2/contacts/search?${query}`, { headers: bearer(token) });
      expect(response.status, query).toBe(200);
      expect(((await response.json()) as ContactList).data.contacts.map((c) => c.id), query).toEqual([target.id]);
    }
  });

  it.each(['', 'last_name=Doe', 'first_name=John&last_name=Doe'])('answers 400 for too few criteria (%s)', async (query) => {
    const { sandbox } = createTestSandbox();
    const { access_token: token } = await getTokens(sandbox);
    const response = await send(sandbox, `/v2/contacts/search?${query}`, { headers: bearer(token) });
    expect(response.status).toBe(400);
  });
});

describe('routes', () => {
  it('answers 404 in the API envelope for unknown routes and methods, before authentication', async () => {
    const { sandbox } = createTestSandbox();
    for (const [path, method] of [
      ['/v2/contacts', 'DELETE'],
      ['/v2/leads', 'GET'],
      ['/v2', 'GET'],
      ['/v2/contacts/a/b', 'GET'],
    ] as const) {
      const response = await send(sandbox, path, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toEqual({ error: { message: 'Not found', code: 'not_found' } });
    }
  });
});
