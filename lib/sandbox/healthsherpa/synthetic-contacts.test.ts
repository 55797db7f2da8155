import { describe, expect, it } from 'vitest';
import { healthsherpaAgents } from './clients';
import { normalizeBirthDate, normalizeMedicareNumber, normalizePhone, parseContactInput } from './contact';
import { seedContacts, seededContactsPerAgent } from './synthetic-contacts';
import { bearer, createTestSandbox, getTokens, send } from './test-helpers';

describe('seeded contacts', () => {
  it('are the same for the same agent in every run and instance, and differ between agents', async () => {
    const [first, second] = healthsherpaAgents;
    if (!first || !second) throw new Error('two agents expected');
    expect(seedContacts(first.id)).toEqual(seedContacts(first.id));
    expect(seedContacts(first.id).map((c) => c.id)).not.toEqual(seedContacts(second.id).map((c) => c.id));

    const listOf = async () => {
      const { sandbox, clock } = createTestSandbox();
      clock.advance(Math.floor(Math.random() * 1e9));
      const { access_token: token } = await getTokens(sandbox);
      return (await send(sandbox, '/v2/contacts', { headers: bearer(token) })).text();
    };
    expect(await listOf()).toBe(await listOf());
  });

  it('pass the create-contact validation and use fictional phone numbers and emails', () => {
    for (const agent of healthsherpaAgents) {
      const contacts = seedContacts(agent.id);
      expect(contacts).toHaveLength(seededContactsPerAgent);
      expect(new Set(contacts.map((c) => `${c.first_name} ${c.last_name}`)).size).toBe(seededContactsPerAgent);
      for (const contact of contacts) {
        expect(parseContactInput({ contact }).ok, JSON.stringify(contact)).toBe(true);
        expect(normalizeBirthDate(contact.birth_date ?? '')).toBe(contact.birth_date);
        expect(normalizePhone(contact.phone ?? '')).toBe(contact.phone);
        expect(contact.phone).toMatch(/^\d{3}55501\d{2}$/);
        expect(contact.email).toMatch(/@example\.com$/);
        expect(normalizeMedicareNumber(contact.medicare_number ?? '')).toBe(contact.medicare_number);
        expect(contact.slug.startsWith(`${contact.first_name}-${contact.last_name}-`.toLowerCase())).toBe(true);
      }
    }
  });
});

describe('field formats', () => {
  it.each([
    ['04/15/1955', '1955-04-15'],
    ['04-15-1955', '1955-04-15'],
    ['1955-04-15', '1955-04-15'],
    ['1955/04/15', '1955-04-15'],
    ['1955-04/15', undefined],
    ['02/30/1955', undefined],
    ['15/04/1955', undefined],
    ['1955-4-15', undefined],
  ])('birth_date %s → %s', (input, expected) => {
    expect(normalizeBirthDate(input)).toBe(expected);
  });
});
