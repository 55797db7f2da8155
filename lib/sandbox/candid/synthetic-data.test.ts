import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random';
import { claimStatuses, createEncounter, encounterIdAt, findEncounter, listEncounters, payers, syntheticNpi } from './synthetic-data';

const org = { organizationId: '3f9c2a71-5d8e-4b0a-9e61-c47d2b8f1a03', organizationName: 'Test Practice', encounters: 20 };
const base = 'http://localhost:3000/sandbox/candid';

// The NPI check digit: Luhn over "80840" + the ten digits (CMS NPI standard).
function npiIsValid(npi: string): boolean {
  const digits = `80840${npi}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return /^\d{10}$/.test(npi) && sum % 10 === 0;
}

describe('synthetic data', () => {
  it('makes NPIs with valid check digits', () => {
    expect(npiIsValid('1234567893')).toBe(true);
    expect(npiIsValid('1234567890')).toBe(false);
    const random = seededRandom('npi');
    for (let i = 0; i < 200; i++) expect(npiIsValid(syntheticNpi(random))).toBe(true);
  });

  it('is a pure function of organisation and index', () => {
    expect(createEncounter(org, 3, base)).toEqual(createEncounter(org, 3, base));
    expect(createEncounter(org, 3, base)).not.toEqual(createEncounter(org, 4, base));
    const other = { ...org, organizationId: 'b82e4c19-07f3-4d6a-8a2c-5e9d1f04b7c6' };
    expect(encounterIdAt(other, 3)).not.toBe(encounterIdAt(org, 3));
  });

  it('finds an encounter by id only within its organisation', () => {
    const id = encounterIdAt(org, 7);
    expect(findEncounter(org, id, base)).toEqual(createEncounter(org, 7, base));
    expect(findEncounter({ ...org, organizationId: 'other' }, id, base)).toBeUndefined();
  });

  it('uses only the SDK’s enum values and keeps service lines consistent with their claim', () => {
    for (const encounter of listEncounters({ ...org, encounters: 200 }, base)) {
      const [claim] = encounter.claims;
      expect(claimStatuses).toContain(claim?.status);
      for (const line of claim?.service_lines ?? []) {
        expect(line.claim_id).toBe(claim?.claim_id);
        expect(encounter.diagnoses.map((d) => d.diagnosis_id)).toContain(line.diagnosis_id_zero);
        if (line.paid_amount_cents !== undefined) {
          expect((line.paid_amount_cents ?? 0) + (line.patient_responsibility_cents ?? 0)).toBe(line.allowed_amount_cents);
        }
      }
      expect(['CANDID', 'CUSTOMER', 'CODER', 'NONE']).toContain(encounter.owner_of_next_action);
      expect(encounter.responsible_party === 'SELF_PAY').toBe(encounter.subscriber_primary === undefined);
      expect(encounter.patient.address.state).toBe(encounter.service_facility.address.state);
    }
  });

  it('has a payer directory with unique ids', () => {
    expect(new Set(payers.map((p) => p.payer_uuid)).size).toBe(payers.length);
    expect(new Set(payers.map((p) => p.payer_id)).size).toBe(payers.length);
  });
});
