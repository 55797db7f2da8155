import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSearchsetBundle } from './bundle';
import { createCapabilityStatement } from './metadata';
import { findExplanationOfBenefit, listExplanationsOfBenefit } from './synthetic-claims';
import { coverageParts, createCoverage, createPatient } from './synthetic-patient';
import { handleUserInfo } from './userinfo';
import { findSyntheticUser, findUserByPatientId, getSyntheticUser, patientIdFor } from './users';

const fixtures = join(__dirname, '../../../../shared/fixtures/bluebutton');

function readFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as Record<string, unknown>;
}

type Resource = Record<string, unknown> & { id: string };

/** Every top-level key of `fixture` except `optional` ones is present in `ours`. */
function expectKeysOf(ours: Record<string, unknown>, fixture: Record<string, unknown>, optional: readonly string[] = []) {
  const expected = Object.keys(fixture).filter((key) => !optional.includes(key));
  expect(Object.keys(ours)).toEqual(expect.arrayContaining(expected));
}

describe('synthetic users', () => {
  it('map BBUser{n} / PW{n}! to patient -2014 followed by n + 1 in ten digits', () => {
    expect(patientIdFor(0)).toBe('-20140000000001');
    expect(patientIdFor(29_999)).toBe('-20140000030000');
    expect(findSyntheticUser('BBUser00000', 'PW00000!')?.patientId).toBe('-20140000000001');
    expect(findSyntheticUser('BBUser29999', 'PW29999!')?.patientId).toBe('-20140000030000');
    expect(findSyntheticUser('BBUser30000', 'PW30000!')).toBeUndefined();
    expect(findSyntheticUser('BBUser00001', 'PW00000!')).toBeUndefined();
    expect(findUserByPatientId('-20140000000001')?.username).toBe('BBUser00000');
    expect(findUserByPatientId('-20140000030001')).toBeUndefined();
  });
});

describe('synthetic data', () => {
  const user = getSyntheticUser(0);

  it('is deterministic: the same beneficiary always gets the same resources', () => {
    expect(createPatient(getSyntheticUser(0))).toEqual(createPatient(getSyntheticUser(0)));
    expect(listExplanationsOfBenefit(getSyntheticUser(0))).toEqual(listExplanationsOfBenefit(getSyntheticUser(0)));
    expect(JSON.stringify(listExplanationsOfBenefit(getSyntheticUser(0)))).not.toBe(JSON.stringify(listExplanationsOfBenefit(getSyntheticUser(1))));
  });

  it('gives every beneficiary 25 to 60 claims with unique ids, each readable on its own', () => {
    for (const index of [0, 1, 2, 99, 12_345, 29_999]) {
      const claims = listExplanationsOfBenefit(getSyntheticUser(index)) as Resource[];
      expect(claims.length).toBeGreaterThanOrEqual(25);
      expect(claims.length).toBeLessThanOrEqual(60);
      expect(new Set(claims.map((claim) => claim.id)).size).toBe(claims.length);
      const sample = claims[claims.length - 1];
      expect(sample && findExplanationOfBenefit(getSyntheticUser(index), sample.id)).toEqual(sample);
    }
  });

  it('keeps the money consistent: a carrier claim pays the sum of its lines', () => {
    interface Line {
      adjudication: Array<{ category: { coding: Array<{ code: string }> }; amount: { value: number } }>;
    }
    type Carrier = { id: string; item: Line[]; payment: { amount: { value: number } } };
    const carrier = (listExplanationsOfBenefit(user) as unknown as Carrier[]).find((claim) => claim.id.startsWith('carrier-'));
    const paid = (carrier?.item ?? []).map((line) => line.adjudication.find((entry) => entry.category.coding[0]?.code === 'benefit')?.amount.value ?? 0);
    expect(paid.length).toBeGreaterThan(0);
    expect(carrier?.payment.amount.value).toBeCloseTo(paid.reduce((a, b) => a + b, 0), 2);
  });

  it('serialises to JSON without undefined values', () => {
    const text = JSON.stringify([createPatient(user), ...coverageParts.map((part) => createCoverage(user, part)), ...listExplanationsOfBenefit(user)]);
    expect(text).not.toContain('undefined');
    expect(text).not.toContain('null');
  });
});

describe.runIf(existsSync(fixtures))('shapes compared with Blue Button’s fixtures (top-level keys)', () => {
  const user = getSyntheticUser(0);
  const claims = listExplanationsOfBenefit(user) as Resource[];
  const claimOf = (prefix: string) => {
    const claim = claims.find((candidate) => candidate.id.startsWith(`${prefix}-`));
    if (!claim) throw new Error(`no ${prefix} claim for ${user.username}`);
    return claim;
  };

  it('Patient', () => {
    expectKeysOf(createPatient(user), readFixture('patient_read_v2.json'), ['deceasedDateTime']);
  });

  it('Coverage', () => {
    expectKeysOf(createCoverage(user, 'a'), readFixture('coverage_read_v2.json'), ['contract']);
  });

  it.each([
    ['carrier', 'eob_read_carrier_v2.json'],
    ['inpatient', 'eob_read_in_pt_v2.json'],
    ['outpatient', 'eob_read_out_pt_v2.json'],
  ])('ExplanationOfBenefit %s', (prefix, fixture) => {
    expectKeysOf(claimOf(prefix), readFixture(fixture));
  });

  it('ExplanationOfBenefit pde', () => {
    const search = readFixture('eob_search_v2.json') as { entry: Array<{ resource: Record<string, unknown> }> };
    const pde = search.entry.find((entry) => String(entry.resource.id).startsWith('pde-'));
    expectKeysOf(claimOf('pde'), pde?.resource ?? {});
  });

  it.each(['eob_search_v2.json', 'patient_search_v2.json', 'coverage_search_v2.json'])('searchset Bundle like %s', (name) => {
    const bundle = createSearchsetBundle({
      searchUrl: 'http://localhost:3000/sandbox/bluebutton/v2/fhir/Coverage',
      searchParams: [],
      resources: coverageParts.map((part) => createCoverage(user, part)),
      page: { count: 10, startIndex: 0 },
      nowMs: 0,
    });
    const fixture = readFixture(name) as { link: Array<{ relation: string }>; entry: Array<Record<string, unknown>> };
    // Exactly the real envelope: no `total` (issue #14), which paging code would rely on offline and miss live.
    expect(Object.keys(bundle)).toEqual(Object.keys(fixture));
    const ours = bundle as { link: Array<{ relation: string }>; entry: Array<Record<string, unknown>> };
    expect(ours.link.map((link) => link.relation)).toEqual(expect.arrayContaining(fixture.link.map((link) => link.relation)));
    expect(Object.keys(ours.entry[0] ?? {})).toEqual(Object.keys(fixture.entry[0] ?? {}));
  });

  it.each([
    ['eob_search_v2.json', 'ExplanationOfBenefit', [['patient', '-20140000008325']]],
    ['patient_search_v2.json', 'Patient', [['_id', '-20140000008325']]],
    ['coverage_search_v2.json', 'Coverage', [['beneficiary', 'Patient/-20140000008325']]],
  ] as const)('the paging links of %s: first and last as the real ones, self with the slash and the sorted query', (name, type, searchParams) => {
    const base = 'http://testserver/v2/fhir';
    const bundle = createSearchsetBundle({
      searchUrl: `${base}/${type}`,
      searchParams: searchParams.map(([k, v]) => [k, v] as [string, string]),
      resources: [{ resourceType: type }],
      page: { count: 10, startIndex: 0 },
      nowMs: 0,
    }) as { link: Array<{ relation: string; url: string }> };
    const fixture = readFixture(name) as { link: Array<{ relation: string; url: string }> };
    expect(bundle.link).toEqual(fixture.link);
  });

  it('userinfo', async () => {
    const token = { token: 't', clientId: 'c', patientId: user.patientId, scopes: ['profile'], expiresAt: 0, family: 'f', refreshToken: 'r' };
    const ours = (await handleUserInfo(token, user).json()) as Record<string, unknown>;
    expect(Object.keys(ours)).toEqual(Object.keys(readFixture('userinfo_v2.json')));
  });

  it('CapabilityStatement', () => {
    const fixture = readFixture('fhir_meta_v2.json') as { rest: Array<Record<string, unknown>> };
    const ours = createCapabilityStatement('http://localhost:3000/sandbox/bluebutton', 0) as { rest: Array<Record<string, unknown>> };
    expectKeysOf(ours, fixture);
    expectKeysOf(ours.rest[0] ?? {}, fixture.rest[0] ?? {});
  });
});
