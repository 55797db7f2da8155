import 'server-only';
import { between, type Random } from '../shared/hash';
import { createRandom, pick } from './deterministic';
import { bbVariables, c4bb, coding, dayToDate, fhirInstant, variableCoding, variableExtension } from './fhir-codes';
import type { SyntheticUser } from './users';

/**
 * The beneficiary's Patient and Coverage resources, in the shapes of ../shared/fixtures/bluebutton
 * (`patient_read_v2.json`, `coverage_read_v2.json`), generated from the user alone: same user, same bytes.
 */

const races: ReadonlyArray<[string, string]> = [
  ['1', 'White'],
  ['2', 'Black'],
  ['3', 'Other'],
  ['4', 'Asian'],
  ['5', 'Hispanic'],
  ['6', 'North American Native'],
];
// SSA state codes, as BFD sends them in `address.state`.
const stateCodes = ['05', '10', '14', '15', '22', '31', '33', '36', '39', '45'];
const mbiLetters = 'ACDEFGHJKMNPQRTUVWXY';

function patientRandom(user: SyntheticUser, salt: string): Random {
  return createRandom(`bluebutton-${salt}-${user.patientId}`);
}

/** A Medicare Beneficiary Identifier in the official 11-character layout (CMS "MBI format" spec). */
export function mbiFor(user: SyntheticUser): string {
  const random = patientRandom(user, 'mbi');
  const digit = (min = 0) => String(between(random, min, 9));
  const letter = () => pick(random, [...mbiLetters]);
  const either = () => (random() < 0.5 ? digit() : letter());
  return `${digit(1)}${letter()}${either()}${digit()}${letter()}${either()}${digit()}${letter()}${letter()}${digit()}${digit()}`;
}

/** When the beneficiary's records were last touched: a fixed instant in 2020. */
function lastUpdated(user: SyntheticUser): string {
  const random = patientRandom(user, 'updated');
  return fhirInstant(Date.UTC(2020, 0, 1) + between(random, 0, 360 * 86_400) * 1000 + between(random, 0, 999));
}

/** The beneficiary's birth date, 65 to 90 years before 2021. */
export function birthDateFor(user: SyntheticUser): string {
  const random = patientRandom(user, 'birth');
  return dayToDate(between(random, Date.UTC(1931, 0, 1) / 86_400_000, Date.UTC(1955, 11, 31) / 86_400_000));
}

/** The beneficiary’s Patient resource. */
export function createPatient(user: SyntheticUser): Record<string, unknown> {
  const random = patientRandom(user, 'patient');
  const [raceCode, raceDisplay] = pick(random, races);
  const referenceYear = String(between(random, 2015, 2020));
  const dualCode = random() < 0.85 ? 'NA' : '02';
  const beneId = { system: `${bbVariables}/bene_id`, value: user.patientId };
  return {
    resourceType: 'Patient',
    id: user.patientId,
    meta: { lastUpdated: lastUpdated(user) },
    extension: [
      variableExtension('race', raceCode, raceDisplay),
      { url: `${bbVariables}/rfrnc_yr`, valueDate: referenceYear },
      ...Array.from({ length: 12 }, (_, month) => ({
        url: `${bbVariables}/dual_${String(month + 1).padStart(2, '0')}`,
        valueCoding: variableCoding(`dual_${String(month + 1).padStart(2, '0')}`, dualCode),
      })),
    ],
    identifier: [
      beneId,
      {
        type: { coding: [coding(`${c4bb}/CodeSystem/C4BBIdentifierType`, 'PI', 'Patient internal identifier')] },
        ...beneId,
      },
      {
        type: { coding: [coding('http://terminology.hl7.org/CodeSystem/v2-0203', 'MC', "Patient's Medicare number")] },
        system: 'http://hl7.org/fhir/sid/us-mbi',
        value: mbiFor(user),
      },
    ],
    active: true,
    name: [{ use: 'usual', family: user.familyName, given: [user.givenName, user.middleInitial] }],
    gender: user.gender,
    birthDate: birthDateFor(user),
    address: [{ state: pick(random, stateCodes), postalCode: String(between(random, 10000, 99950)) }],
  };
}

/** A Medicare part the synthetic beneficiaries are enrolled in. */
export type CoveragePart = 'a' | 'b' | 'd';

/** Parts A, B and D, in the order Coverage searches return them. */
export const coverageParts: readonly CoveragePart[] = ['a', 'b', 'd'];

/** BFD’s Coverage id: `part-a--20140000000001`. */
export function coverageId(part: CoveragePart, patientId: string): string {
  return `part-${part}-${patientId}`;
}

function entitlementStart(user: SyntheticUser): string {
  // Medicare at 65: the first of the month of the 65th birthday.
  const birth = birthDateFor(user);
  return `${Number(birth.slice(0, 4)) + 65}-${birth.slice(5, 7)}-01`;
}

/** The beneficiary’s Coverage for one Medicare part. */
export function createCoverage(user: SyntheticUser, part: CoveragePart): Record<string, unknown> {
  const random = patientRandom(user, `coverage-${part}`);
  const partName = `Part ${part.toUpperCase()}`;
  const statusExtensions = [
    variableExtension('ms_cd', '10', 'Aged without end-stage renal disease (ESRD)'),
    variableExtension('orec', '0', 'Old age and survivor’s insurance (OASI)'),
    variableExtension('crec', '0', 'Old age and survivor’s insurance (OASI)'),
    variableExtension('esrd_ind', '0', 'the beneficiary does not have ESRD'),
  ];
  const partExtensions =
    part === 'a'
      ? [variableExtension('a_trm_cd', '0', 'Not Terminated')]
      : part === 'b'
        ? [variableExtension('b_trm_cd', '0', 'Not Terminated')]
        : [
            { url: `${bbVariables}/ptdcntrct01`, valueCoding: variableCoding('ptdcntrct01', `S${between(random, 1000, 9999)}`) },
            { url: `${bbVariables}/ptdpbpid01`, valueCoding: variableCoding('ptdpbpid01', String(between(random, 1, 30)).padStart(3, '0')) },
          ];
  return {
    resourceType: 'Coverage',
    id: coverageId(part, user.patientId),
    meta: { lastUpdated: lastUpdated(user) },
    extension: [...statusExtensions, ...partExtensions],
    status: 'active',
    type: { coding: [coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', 'SUBSIDIZ')] },
    subscriberId: mbiFor(user),
    beneficiary: { reference: `Patient/${user.patientId}` },
    relationship: { coding: [coding('http://terminology.hl7.org/CodeSystem/subscriber-relationship', 'self', 'Self')] },
    period: { start: part === 'd' ? `${Math.max(2006, Number(entitlementStart(user).slice(0, 4)))}-01-01` : entitlementStart(user) },
    payor: [{ identifier: { value: 'Centers for Medicare and Medicaid Services' } }],
    class: [
      { type: { coding: [coding('http://terminology.hl7.org/CodeSystem/coverage-class', 'subgroup', 'SubGroup')] }, value: 'Medicare' },
      { type: { coding: [coding('http://terminology.hl7.org/CodeSystem/coverage-class', 'subplan', 'SubPlan')] }, value: partName },
    ],
  };
}
