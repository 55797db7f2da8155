import 'server-only';
import type { LineSource } from '../bcda/synthetic-data';
import { between, combineSeed, deterministicUuid, fnv1a, mulberry32, pick, type Random } from '../shared/hash';

/**
 * Deterministic synthetic health-plan members in CARIN Blue Button-like shapes: Patient, Coverage, Encounter and
 * ExplanationOfBenefit. Every value is a function of (tenant, member index), so the same request always gives
 * the same bytes and one member can be rendered on its own, which lets bulk files stream member by member.
 * Member 0 of every tenant is 1up's demo member Jason Argonaut (member id `08-testmemid`).
 */

export const oneUpResourceTypes = ['Patient', 'Coverage', 'ExplanationOfBenefit', 'Encounter'] as const;
export type OneUpResourceType = (typeof oneUpResourceTypes)[number];

export function isOneUpResourceType(value: string): value is OneUpResourceType {
  return oneUpResourceTypes.some((type) => type === value);
}

/** A FHIR resource as the sandbox serves it. */
export interface FhirResource {
  resourceType: string;
  id: string;
  meta: { lastUpdated: string; profile?: string[] };
  [field: string]: unknown;
}

/** One generated resource with its `meta.lastUpdated` as epoch milliseconds, for `_since`. */
export interface GeneratedResource {
  lastUpdatedMs: number;
  resource: FhirResource;
}

/** Whose members to generate. */
export interface Dataset {
  tenant: string;
  members: number;
  payerName: string;
  /** Prefix of generated member ids, e.g. `08-BSN` gives `08-BSN000001`. */
  memberIdPrefix: string;
}

export function bisonDataset(members: number): Dataset {
  return { tenant: 'bison', members, payerName: 'Bison Health Plan', memberIdPrefix: '08-BSN' };
}

export function demoPlanDataset(members: number): Dataset {
  return { tenant: 'demoplan', members, payerName: '1up Demo Health Plan', memberIdPrefix: '08-DMO' };
}

/** Data stops here: every `lastUpdated` is before this instant, so `_since` behaves the same on any day. */
export const dataAnchorMs = Date.UTC(2026, 6, 1);
const dayMs = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------
// Dates

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

function money(value: number): { value: number; currency: 'USD' } {
  return { value: Math.round(value * 100) / 100, currency: 'USD' };
}

// ---------------------------------------------------------------------------------------------------------------
// Members

const givenFemale = ['Maria', 'Linda', 'Aisha', 'Grace', 'Sofia', 'Mei', 'Olivia', 'Fatima', 'Rosa', 'Hannah', 'Priya', 'Nora'];
const givenMale = ['James', 'Carlos', 'Wei', 'Samuel', 'Omar', 'Daniel', 'Luis', 'Kwame', 'Ethan', 'Ivan', 'Tomas', 'Ravi'];
const families = [
  'Bison', 'Rivera', 'Nguyen', 'Okafor', 'Smith', 'Kowalski', 'Haddad', 'Johnson', 'Garcia', 'Chen', 'Patel', 'Murphy',
  'Silva', 'Kim', 'Brown', 'Novak', 'Mensah', 'Lopez', 'Walsh', 'Yamamoto',
];
const places = [
  { city: 'Boston', state: 'MA', postalCode: '02114' },
  { city: 'Worcester', state: 'MA', postalCode: '01608' },
  { city: 'Springfield', state: 'MA', postalCode: '01103' },
  { city: 'Providence', state: 'RI', postalCode: '02903' },
  { city: 'Hartford', state: 'CT', postalCode: '06103' },
  { city: 'Manchester', state: 'NH', postalCode: '03101' },
];
const streets = ['Main St', 'Elm St', 'Oak Ave', 'Bison Way', 'Harbor Rd', 'Maple Dr', 'Cedar Ln', 'Milky Way'];

/** A member's demographics. */
export interface Member {
  index: number;
  /** FHIR Patient id. */
  id: string;
  /** The plan's member id, printed on the card and used to sign in to the demo plan. */
  memberId: string;
  given: string;
  family: string;
  gender: 'female' | 'male';
  birthDate: string;
  line: string;
  city: string;
  state: string;
  postalCode: string;
}

function memberRandom(dataset: Dataset, index: number, salt: number): Random {
  return mulberry32(combineSeed(fnv1a(dataset.tenant), index, salt));
}

export function getMemberId(dataset: Dataset, index: number): string {
  return index === 0 ? '08-testmemid' : `${dataset.memberIdPrefix}${String(index).padStart(6, '0')}`;
}

/** The member index for a member id, or undefined when the tenant has no such member. */
export function findMemberIndex(dataset: Dataset, memberId: string): number | undefined {
  const normalized = memberId.trim().toUpperCase();
  if (normalized === '08-TESTMEMID') return 0;
  const prefix = dataset.memberIdPrefix.toUpperCase();
  if (!normalized.startsWith(prefix)) return undefined;
  const digits = normalized.slice(prefix.length);
  if (!/^\d{6}$/.test(digits)) return undefined;
  const index = Number(digits);
  return index > 0 && index < dataset.members ? index : undefined;
}

export function getPatientId(dataset: Dataset, index: number): string {
  return deterministicUuid(`${dataset.tenant}/Patient/${index}`);
}

/** The member at `index`; member 0 is Jason Argonaut as 1up documents him. */
export function getMember(dataset: Dataset, index: number): Member {
  const base = { index, id: getPatientId(dataset, index), memberId: getMemberId(dataset, index) };
  if (index === 0) {
    return { ...base, given: 'Jason', family: 'Argonaut', gender: 'male', birthDate: '1986-01-01', line: '1979 Milky Way', city: 'Boston', state: 'MA', postalCode: '02114' };
  }
  const random = memberRandom(dataset, index, 0x11);
  const gender = random() < 0.5 ? 'female' : 'male';
  const place = pick(random, places);
  const birthMs = Date.UTC(1940, 0, 1) + Math.floor(random() * 80 * 365.25) * dayMs;
  return {
    ...base,
    given: pick(random, gender === 'female' ? givenFemale : givenMale),
    family: pick(random, families),
    gender,
    birthDate: isoDate(birthMs),
    line: `${between(random, 1, 999)} ${pick(random, streets)}`,
    ...place,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Resources

const memberIdentifierType = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MB', display: 'Member Number' }],
};
const c4bb = 'http://hl7.org/fhir/us/carin-bb/StructureDefinition';

const encounterKinds = [
  { classCode: 'AMB', code: '185349003', display: 'Encounter for check up', claimType: 'professional', cpt: '99213', cptDisplay: 'Office visit, established patient', charge: [120, 260] },
  { classCode: 'AMB', code: '390906007', display: 'Follow-up encounter', claimType: 'professional', cpt: '99214', cptDisplay: 'Office visit, moderate complexity', charge: [160, 340] },
  { classCode: 'EMER', code: '50849002', display: 'Emergency room admission', claimType: 'institutional', cpt: '99284', cptDisplay: 'Emergency department visit', charge: [900, 4200] },
  { classCode: 'IMP', code: '183452005', display: 'Emergency hospital admission', claimType: 'institutional', cpt: '99223', cptDisplay: 'Initial hospital care', charge: [6000, 38000] },
] as const;
const providers = ['Bison Medical Group', 'Harborview Family Practice', 'Commonwealth General Hospital', 'Northshore Urgent Care'];
const drugs = [
  { code: '00093-7146-56', display: 'Atorvastatin 20 MG Oral Tablet' },
  { code: '00378-0208-01', display: 'Lisinopril 10 MG Oral Tablet' },
  { code: '00093-1048-01', display: 'Metformin 500 MG Oral Tablet' },
  { code: '59762-3304-1', display: 'Sertraline 50 MG Oral Tablet' },
];
const actClasses: Record<string, string> = { AMB: 'ambulatory', EMER: 'emergency', IMP: 'inpatient encounter' };

function adjudication(submitted: number, paid: number) {
  const category = (code: string) => ({
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adjudication', code }],
  });
  return [
    { category: category('submitted'), amount: money(submitted) },
    { category: category('benefit'), amount: money(paid) },
  ];
}

/** Every resource of one member, generated together so references line up. */
function generateMember(dataset: Dataset, index: number): Record<OneUpResourceType, GeneratedResource[]> {
  const member = getMember(dataset, index);
  const random = memberRandom(dataset, index, 0x22);
  const patientRef = { reference: `Patient/${member.id}` };
  const id = (type: string, n: number) => deterministicUuid(`${dataset.tenant}/${type}/${index}/${n}`);
  const resource = (lastUpdatedMs: number, body: Omit<FhirResource, 'meta'>, profile?: string): GeneratedResource => {
    const clamped = Math.min(lastUpdatedMs, dataAnchorMs - 1000);
    return { lastUpdatedMs: clamped, resource: { ...body, meta: { lastUpdated: isoInstant(clamped), ...(profile ? { profile: [profile] } : {}) } } as FhirResource };
  };

  const patientUpdated = dataAnchorMs - between(random, 1, 720) * dayMs - between(random, 0, 86_399) * 1000;
  const patient = resource(
    patientUpdated,
    {
      resourceType: 'Patient',
      id: member.id,
      identifier: [{ type: memberIdentifierType, system: `https://${dataset.tenant}.1up.health/member-id`, value: member.memberId }],
      active: true,
      name: [{ use: 'official', family: member.family, given: [member.given] }],
      gender: member.gender,
      birthDate: member.birthDate,
      address: [{ use: 'home', line: [member.line], city: member.city, state: member.state, postalCode: member.postalCode, country: 'US' }],
    },
    `${c4bb}/C4BB-Patient`,
  );

  const coverageStartMs = dataAnchorMs - between(random, 400, 3000) * dayMs;
  const coverageKinds = random() < 0.5 ? ['medical', 'pharmacy'] : ['medical'];
  const coverages = coverageKinds.map((kind, n) =>
    resource(
      coverageStartMs + between(random, 0, 60) * dayMs,
      {
        resourceType: 'Coverage',
        id: id('Coverage', n),
        identifier: [{ type: memberIdentifierType, value: member.memberId }],
        status: 'active',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: kind === 'medical' ? 'HIP' : 'DRUGPOL', display: kind === 'medical' ? 'health insurance plan policy' : 'drug policy' }] },
        subscriberId: member.memberId,
        beneficiary: patientRef,
        relationship: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship', code: 'self' }] },
        period: { start: isoDate(coverageStartMs) },
        payor: [{ display: dataset.payerName }],
        class: [
          { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'group' }] }, value: `${dataset.tenant.toUpperCase()}-GRP-${String(1 + (index % 7)).padStart(2, '0')}`, name: `${dataset.payerName} ${kind === 'medical' ? 'PPO' : 'Rx'}` },
        ],
      },
      `${c4bb}/C4BB-Coverage`,
    ),
  );
  const medicalCoverage = { reference: `Coverage/${coverages[0]?.resource.id ?? id('Coverage', 0)}` };
  const pharmacyCoverage = { reference: `Coverage/${coverages[coverages.length - 1]?.resource.id ?? id('Coverage', 0)}` };

  const encounters: GeneratedResource[] = [];
  const eobs: GeneratedResource[] = [];
  const encounterCount = between(random, 0, 4);
  for (let n = 0; n < encounterCount; n++) {
    const kind = pick(random, encounterKinds);
    const startMs = dataAnchorMs - between(random, 5, 1000) * dayMs + between(random, 8, 17) * 3_600_000;
    const endMs = startMs + (kind.classCode === 'IMP' ? between(random, 1, 6) * dayMs : between(random, 1, 4) * 1_800_000);
    const provider = pick(random, providers);
    const encounterId = id('Encounter', n);
    encounters.push(
      resource(endMs + between(random, 1, 10) * dayMs, {
        resourceType: 'Encounter',
        id: encounterId,
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: kind.classCode, display: actClasses[kind.classCode] },
        type: [{ coding: [{ system: 'http://snomed.info/sct', code: kind.code, display: kind.display }] }],
        subject: patientRef,
        period: { start: isoInstant(startMs), end: isoInstant(endMs) },
        serviceProvider: { display: provider },
      }),
    );
    const submitted = between(random, kind.charge[0], kind.charge[1]) + between(random, 0, 99) / 100;
    const paid = submitted * (0.55 + random() * 0.35);
    const createdMs = endMs + between(random, 2, 20) * dayMs;
    eobs.push(
      resource(createdMs + between(random, 1, 30) * dayMs, {
        resourceType: 'ExplanationOfBenefit',
        id: id('ExplanationOfBenefit', n),
        identifier: [{ type: { coding: [{ system: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType', code: 'uc' }] }, value: `CLM${(fnv1a(`${dataset.tenant}/${index}/${n}`) % 1e9).toString().padStart(9, '0')}` }],
        status: 'active',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: kind.claimType }] },
        use: 'claim',
        patient: patientRef,
        billablePeriod: { start: isoDate(startMs), end: isoDate(endMs) },
        created: isoInstant(createdMs),
        insurer: { display: dataset.payerName },
        provider: { display: provider },
        outcome: 'complete',
        insurance: [{ focal: true, coverage: medicalCoverage }],
        item: [
          {
            sequence: 1,
            productOrService: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: kind.cpt, display: kind.cptDisplay }] },
            servicedDate: isoDate(startMs),
            encounter: [{ reference: `Encounter/${encounterId}` }],
            adjudication: adjudication(submitted, paid),
          },
        ],
        total: adjudication(submitted, paid),
        payment: { amount: money(paid) },
      }, `${c4bb}/C4BB-ExplanationOfBenefit-${kind.claimType === 'professional' ? 'Professional-NonClinician' : 'Inpatient-Institutional'}`),
    );
  }
  const fills = coverageKinds.length > 1 ? between(random, 0, 3) : 0;
  for (let n = 0; n < fills; n++) {
    const drug = pick(random, drugs);
    const filledMs = dataAnchorMs - between(random, 5, 700) * dayMs;
    const submitted = between(random, 8, 140) + between(random, 0, 99) / 100;
    const paid = submitted * (0.6 + random() * 0.3);
    eobs.push(
      resource(filledMs + between(random, 1, 14) * dayMs, {
        resourceType: 'ExplanationOfBenefit',
        id: id('ExplanationOfBenefit', 100 + n),
        status: 'active',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'pharmacy' }] },
        use: 'claim',
        patient: patientRef,
        billablePeriod: { start: isoDate(filledMs), end: isoDate(filledMs) },
        created: isoInstant(filledMs),
        insurer: { display: dataset.payerName },
        provider: { display: 'Bison Pharmacy #12' },
        outcome: 'complete',
        insurance: [{ focal: true, coverage: pharmacyCoverage }],
        item: [
          {
            sequence: 1,
            productOrService: { coding: [{ system: 'http://hl7.org/fhir/sid/ndc', code: drug.code, display: drug.display }] },
            servicedDate: isoDate(filledMs),
            quantity: { value: 30 },
            adjudication: adjudication(submitted, paid),
          },
        ],
        total: adjudication(submitted, paid),
        payment: { amount: money(paid) },
      }, `${c4bb}/C4BB-ExplanationOfBenefit-Pharmacy`),
    );
  }
  return { Patient: [patient], Coverage: coverages, Encounter: encounters, ExplanationOfBenefit: eobs };
}

/** The member's resources of one type, optionally only those updated at or after `sinceMs`. */
export function getMemberResources(dataset: Dataset, index: number, type: OneUpResourceType, sinceMs?: number): GeneratedResource[] {
  const all = generateMember(dataset, index)[type];
  return sinceMs === undefined ? all : all.filter((entry) => entry.lastUpdatedMs >= sinceMs);
}

// ---------------------------------------------------------------------------------------------------------------
// Groups

/** A member group of a tenant: who a client's searches and exports cover. */
export interface MemberGroup {
  id: string;
  name: string;
  includes(index: number): boolean;
}

export const bisonGroups: readonly MemberGroup[] = [
  {
    id: 'bison-provider-attributed',
    name: 'Members attributed to Bison Medical Group (Provider Access)',
    // Three in four members: 150 of 200.
    includes: (index) => index % 4 !== 3,
  },
  {
    id: 'bison-payer-to-payer-opt-in',
    name: 'Members who opted in to Payer-to-Payer exchange',
    // One in five: 40 of 200.
    includes: (index) => index % 5 === 0,
  },
];

export function findGroup(groupId: string): MemberGroup | undefined {
  return bisonGroups.find((group) => group.id === groupId);
}

/** The member indices of `group` in `dataset`, in order. */
export function getGroupMembers(dataset: Dataset, group: MemberGroup): number[] {
  const indices: number[] = [];
  for (let index = 0; index < dataset.members; index++) if (group.includes(index)) indices.push(index);
  return indices;
}

/** The Group resource (1up exports by Group; `period` and `inactive` are ignored). */
export function createGroupResource(dataset: Dataset, group: MemberGroup): FhirResource {
  const members = getGroupMembers(dataset, group);
  return {
    resourceType: 'Group',
    id: group.id,
    meta: { lastUpdated: isoInstant(dataAnchorMs - 30 * dayMs) },
    type: 'person',
    actual: true,
    name: group.name,
    quantity: members.length,
    managingEntity: { display: dataset.payerName },
    member: members.map((index) => ({ entity: { reference: `Patient/${getPatientId(dataset, index)}` } })),
  };
}

/**
 * The lines of one NDJSON file: the members' resources of `type`, one member per cursor position, generated
 * only when the stream pulls.
 */
export function createLineSource(dataset: Dataset, members: readonly number[], type: OneUpResourceType, sinceMs?: number): LineSource {
  return {
    count: members.length,
    linesAt(position) {
      const index = members[position];
      if (index === undefined) return '';
      let lines = '';
      for (const entry of getMemberResources(dataset, index, type, sinceMs)) lines += `${JSON.stringify(entry.resource)}\n`;
      return lines;
    },
  };
}

/** How many resources of `type` the members have (the manifest's `count`). */
export function countResources(dataset: Dataset, members: readonly number[], type: OneUpResourceType, sinceMs?: number): number {
  let count = 0;
  for (const index of members) count += getMemberResources(dataset, index, type, sinceMs).length;
  return count;
}
