import 'server-only';
import { contactSlug, type Contact } from './contact';
import { deterministicUuid } from '../shared/hash';
import { seededRandom } from './seeded-random';

/**
 * Each agent's starting contacts: Medicare-age people with invented names, 555-01xx phone numbers,
 * example.com emails and MBI-shaped Medicare numbers. Every value is a function of the agent's id, so every
 * sandbox instance (and every test run) starts with the same contacts, and no clock is read.
 */

export const seededContactsPerAgent = 6;

const firstNames = ['Margaret', 'Harold', 'Dolores', 'Walter', 'Eleanor', 'Raymond', 'Gloria', 'Eugene', 'Lorraine', 'Vernon', 'Beatrice', 'Clarence'] as const;
const lastNames = ['Whitfield', 'Okafor', 'Delgado', 'Lindqvist', 'Nakamura', 'Brennan', 'Castillo', 'Haddad', 'Pruitt', 'Sorensen', 'Abernathy', 'Molina'] as const;
const middleInitials = ['A', 'J', 'L', 'M', 'R', 'T'] as const;
const areaCodes = ['202', '305', '312', '415', '512', '602', '614', '919'] as const;
const zipCodes = ['20001', '33101', '60601', '94102', '73301', '85001', '43004', '27601'] as const;
// MBI character classes: letters exclude S, L, O, I, B and Z.
const mbiLetters = ['A', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'M', 'N', 'P', 'Q', 'R', 'T', 'U', 'V', 'W', 'X', 'Y'] as const;
const nonZeroDigits = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const digits = ['0', ...nonZeroDigits] as const;
const mbiAlphanumerics = [...digits, ...mbiLetters] as const;

// Seeded contacts were "created" over the first weeks of 2026, before any run of the sandbox.
const seedEpochMs = Date.UTC(2026, 0, 5, 15, 0, 0);

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function syntheticMbi(random: ReturnType<typeof seededRandom>): string {
  const positions = [
    nonZeroDigits,
    mbiLetters,
    mbiAlphanumerics,
    digits,
    mbiLetters,
    mbiAlphanumerics,
    digits,
    mbiLetters,
    mbiLetters,
    digits,
    digits,
  ];
  return positions.map((chars) => random.pick(chars)).join('');
}

/** The seeded contacts of one agent, oldest first. */
export function seedContacts(agentId: string): Contact[] {
  const random = seededRandom(`healthsherpa-contacts:${agentId}`);
  const usedNames = new Set<string>();
  const contacts: Contact[] = [];
  for (let index = 0; index < seededContactsPerAgent; index++) {
    let first = random.pick(firstNames);
    let last = random.pick(lastNames);
    while (usedNames.has(`${first} ${last}`)) {
      first = random.pick(firstNames);
      last = random.pick(lastNames);
    }
    usedNames.add(`${first} ${last}`);
    const id = deterministicUuid(`healthsherpa-contact:${agentId}:${index}`);
    const createdAt = new Date(seedEpochMs + index * 3 * 86_400_000 + random.int(8 * 60) * 60_000).toISOString();
    const year = 1936 + random.int(25);
    const area = random.pick(areaCodes);
    contacts.push({
      id,
      slug: contactSlug(first, last, id),
      external_id: `DEMO-${pad(1001 + index, 4)}`,
      first_name: first,
      middle_name: random.int(2) === 0 ? random.pick(middleInitials) : null,
      last_name: last,
      birth_date: `${year}-${pad(1 + random.int(12))}-${pad(1 + random.int(28))}`,
      sex: ['Margaret', 'Dolores', 'Eleanor', 'Gloria', 'Lorraine', 'Beatrice'].includes(first) ? 'female' : 'male',
      email: `${first}.${last}@example.com`.toLowerCase(),
      phone: `${area}5550${pad(100 + random.int(100), 3)}`,
      medicare_number: syntheticMbi(random),
      zip_code: random.pick(zipCodes),
      drugs: [],
      pharmacies: [],
      providers: [],
      created_at: createdAt,
      updated_at: createdAt,
    });
  }
  return contacts;
}
