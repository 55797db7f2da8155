import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLineSource, type BcdaResourceType, type SyntheticDataset } from './synthetic-data';

const small: SyntheticDataset = { acoId: 'SBXBD001', enrollees: 50 };
const reach: SyntheticDataset = { acoId: 'SBXBR001', enrollees: 110 };

function renderAll(dataset: SyntheticDataset, type: BcdaResourceType, sinceMs?: number): string {
  const source = createLineSource(dataset, type, sinceMs);
  let text = '';
  for (let index = 0; index < source.count; index++) text += source.linesAt(index);
  return text;
}

function parseLines(text: string): Array<Record<string, unknown>> {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function lastUpdatedOf(resource: Record<string, unknown>): number {
  return Date.parse((resource.meta as { lastUpdated: string }).lastUpdated);
}

describe('synthetic data', () => {
  it('has one Patient line per enrollee, each valid JSON with a negative id and an MBI', () => {
    const patients = parseLines(renderAll(small, 'Patient'));
    expect(patients).toHaveLength(50);
    for (const patient of patients) {
      expect(patient.resourceType).toBe('Patient');
      expect(patient.id).toMatch(/^-\d{14}$/);
      const identifiers = patient.identifier as Array<{ system: string; value: string }>;
      const mbi = identifiers.find((identifier) => identifier.system === 'http://hl7.org/fhir/sid/us-mbi');
      expect(mbi?.value).toMatch(/^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y]{2}\d{2}$/);
    }
    expect(new Set(patients.map((patient) => patient.id)).size).toBe(50);
  });

  it.each(['Patient', 'Coverage', 'ExplanationOfBenefit', 'Claim', 'ClaimResponse'] as const)(
    'produces only valid %s lines',
    (type) => {
      const resources = parseLines(renderAll(reach, type));
      expect(resources.length).toBeGreaterThanOrEqual(reach.enrollees);
      for (const resource of resources) expect(resource.resourceType).toBe(type);
    },
  );

  it('is deterministic: the same data set gives the same bytes', () => {
    for (const type of ['Patient', 'Coverage', 'ExplanationOfBenefit'] as const) {
      expect(renderAll(small, type)).toBe(renderAll(small, type));
    }
  });

  it('differs between model entities', () => {
    expect(renderAll(small, 'Patient')).not.toBe(renderAll({ acoId: 'SBXBD002', enrollees: 50 }, 'Patient'));
  });

  it('keeps references consistent between files', () => {
    const patientIds = new Set(parseLines(renderAll(small, 'Patient')).map((patient) => `Patient/${patient.id as string}`));
    const coverageIds = new Set(parseLines(renderAll(small, 'Coverage')).map((coverage) => `Coverage/${coverage.id as string}`));
    for (const eob of parseLines(renderAll(small, 'ExplanationOfBenefit'))) {
      expect(patientIds).toContain((eob.patient as { reference: string }).reference);
      const insurance = eob.insurance as Array<{ coverage: { reference: string } }>;
      expect(coverageIds).toContain(insurance[0]?.coverage.reference);
    }
    const claimIds = new Set(parseLines(renderAll(reach, 'Claim')).map((claim) => `Claim/${claim.id as string}`));
    for (const response of parseLines(renderAll(reach, 'ClaimResponse'))) {
      expect(claimIds).toContain((response.request as { reference: string }).reference);
    }
  });

  it('generates 1–4 EOBs per patient of the carrier, outpatient and inpatient kinds', () => {
    const eobs = parseLines(renderAll({ acoId: 'SBXAD001', enrollees: 100 }, 'ExplanationOfBenefit'));
    expect(eobs.length).toBeGreaterThanOrEqual(100);
    expect(eobs.length).toBeLessThanOrEqual(400);
    const kinds = new Set(eobs.map((eob) => (eob.id as string).split('-')[0]));
    expect(kinds).toEqual(new Set(['carrier', 'outpatient', 'inpatient']));
  });

  it('filters by meta.lastUpdated with _since, without changing the resources that remain', () => {
    const sinceMs = Date.parse('2025-01-01T00:00:00Z');
    for (const type of ['Patient', 'Coverage', 'ExplanationOfBenefit'] as const) {
      const all = parseLines(renderAll(small, type));
      const recent = parseLines(renderAll(small, type, sinceMs));
      expect(recent.length, type).toBeGreaterThan(0);
      expect(recent.length, type).toBeLessThan(all.length);
      expect(recent).toEqual(all.filter((resource) => lastUpdatedOf(resource) >= sinceMs));
    }
  });
});

// Repository root is three levels up; the shared fixtures sit beside it.
const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));

function parseDocuments(text: string): Array<Record<string, unknown>> {
  try {
    return [JSON.parse(text) as Record<string, unknown>];
  } catch {
    return text.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** Fixture resources, whether the file holds one resource, a Bundle, or NDJSON. */
function readFixtureResources(relativePath: string): Array<Record<string, unknown>> {
  return parseDocuments(readFileSync(`${fixtures}${relativePath}`, 'utf8').trim()).flatMap((document) =>
    document.resourceType === 'Bundle'
      ? ((document.entry as Array<{ resource: Record<string, unknown> }> | undefined) ?? []).map((entry) => entry.resource)
      : [document],
  );
}

function commonKeys(resources: Array<Record<string, unknown>>): string[] {
  const [first, ...rest] = resources.map((resource) => new Set(Object.keys(resource)));
  return [...(first ?? [])].filter((key) => rest.every((keys) => keys.has(key)));
}

function expectMostKeys(generated: Record<string, unknown>, expected: string[]) {
  const missing = expected.filter((key) => !(key in generated));
  // Loose on purpose: the fixtures come from several API versions.
  expect(missing.length, `missing ${missing.join(', ')}`).toBeLessThanOrEqual(Math.floor(expected.length * 0.2));
}

describe.skipIf(!existsSync(fixtures))('shapes compared with the shared Blue Button fixtures', () => {
  it('an ExplanationOfBenefit has the top-level keys common to the fixture EOBs', () => {
    const fixtureEobs = [
      ...readFixtureResources('bcda/eob-bundle.ndjson'),
      ...readFixtureResources('bluebutton/eob_read_carrier_v2.json'),
      ...readFixtureResources('bluebutton/eob_read_in_pt_v2.json'),
      ...readFixtureResources('bluebutton/eob_read_out_pt_v2.json'),
    ].filter((resource) => resource.resourceType === 'ExplanationOfBenefit');
    const expected = commonKeys(fixtureEobs);
    expect(expected).toContain('billablePeriod');
    for (const eob of parseLines(renderAll(small, 'ExplanationOfBenefit')).slice(0, 20)) expectMostKeys(eob, expected);
  });

  it('a Patient and a Coverage have most keys of the fixture ones', () => {
    const [patient] = parseLines(renderAll(small, 'Patient'));
    const [coverage] = parseLines(renderAll(small, 'Coverage'));
    expectMostKeys(patient ?? {}, Object.keys(readFixtureResources('bluebutton/patient_read_v2.json')[0] ?? {}));
    expectMostKeys(coverage ?? {}, Object.keys(readFixtureResources('bluebutton/coverage_read_v2.json')[0] ?? {}));
  });
});
