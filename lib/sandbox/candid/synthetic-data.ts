import 'server-only';
import { between, deterministicUuid, type Random } from '../shared/hash';
import { pick, seededRandom } from './seeded-random';

/**
 * Deterministic synthetic billing data in the shapes of Candid's API, as its TypeScript SDK's serialization schemas
 * define them (candidhealth 1.33 `serialization/resources/encounters/resources/v4/types/Encounter`,
 * `payers/resources/v3/types/Payer`): every required field, a subset of the optional ones, the enum values the SDK
 * declares. test/fidelity/candid-sdk.test.ts holds the sandbox to those schemas. Every value is a function of
 * (organisation id, index), never of the clock, so the same request always gives the same bytes.
 */

/** `StreetAddressLongZip` (providers, facility); patients' `StreetAddressShortZip` has the same fields, ZIP+4 optional. */
export interface StreetAddress {
  address1: string;
  address2?: string;
  city: string;
  state: string;
  zip_code: string;
  zip_plus_four_code: string;
}

export interface Payer {
  payer_uuid: string;
  payer_id: string;
  payer_name: string;
  availity_payer_name: string;
  availity_claims_payer_id: string;
}

export const claimStatuses = [
  'biller_received',
  'coded',
  'submitted_to_payer',
  'missing_information',
  'not_billable',
  'waiting_for_provider',
  'era_received',
  'rejected',
  'denied',
  'paid',
  'paid_incorrectly',
  'finalized_paid',
  'finalized_denied',
  'held_by_customer',
  'era_requires_review',
] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

export interface EncounterProvider {
  provider_id: string;
  npi: string;
  taxonomy_code: string;
  address: StreetAddress;
  first_name?: string;
  last_name?: string;
  organization_name?: string;
  tax_id?: string;
}

export interface ServiceLine {
  service_line_id: string;
  claim_id: string;
  procedure_code: string;
  modifiers: string[];
  quantity: string;
  units: 'UN' | 'MJ';
  charge_amount_cents: number;
  allowed_amount_cents?: number;
  paid_amount_cents?: number;
  patient_responsibility_cents?: number;
  diagnosis_id_zero: string;
  /** `DateRangeOptionalEnd`: a one-day visit starts and ends on its date of service. */
  date_of_service_range: { start_date: string; end_date: string };
  date_of_service: string;
  created_at: string;
}

export interface Claim {
  claim_id: string;
  status: ClaimStatus;
  clearinghouse: string;
  clearinghouse_claim_id?: string;
  payer_claim_id?: string;
  service_lines: ServiceLine[];
  eras: unknown[];
}

export interface Diagnosis {
  diagnosis_id: string;
  encounter_id: string;
  name: string;
  code_type: 'ABK' | 'ABF';
  code: string;
  created_at: string;
  updated_at: string;
}

export interface Patient {
  individual_id: string;
  external_id: string;
  first_name: string;
  last_name: string;
  gender: 'male' | 'female' | 'other' | 'not_given' | 'unknown';
  date_of_birth: string;
  address: StreetAddress;
  phone_numbers: unknown[];
  phone_consent: boolean;
  email_consent: boolean;
  auto_charge_consent: boolean;
  non_insurance_payers: unknown[];
  non_insurance_payers_info: unknown[];
}

export interface Encounter {
  encounter_id: string;
  external_id: string;
  date_of_service: string;
  claims: Claim[];
  patient: Patient;
  billing_provider: EncounterProvider;
  rendering_provider: EncounterProvider;
  service_facility: { service_facility_id: string; organization_name: string; address: StreetAddress };
  subscriber_primary?: {
    individual_id: string;
    insurance_card: {
      insurance_card_id: string;
      member_id: string;
      payer_name: string;
      payer_id: string;
      group_number: string;
    };
    patient_relationship_to_subscriber_code: string;
    first_name: string;
    last_name: string;
    gender: Patient['gender'];
    date_of_birth: string;
    address: StreetAddress;
  };
  url: string;
  diagnoses: Diagnosis[];
  clinical_notes: unknown[];
  patient_histories: unknown[];
  patient_payments: unknown[];
  tags: unknown[];
  schema_instances: unknown[];
  place_of_service_code: string;
  patient_authorized_release: boolean;
  benefits_assigned_to_provider: boolean;
  provider_accepts_assignment: boolean;
  billable_status: 'BILLABLE' | 'NOT_BILLABLE';
  responsible_party: 'INSURANCE_PAY' | 'SELF_PAY' | 'UNKNOWN';
  owner_of_next_action: 'CANDID' | 'CUSTOMER' | 'CODER' | 'NONE';
  submission_origin: 'CANDID' | 'EXTERNAL';
  created_at: string;
}

/** Whose data to generate. */
export interface SyntheticOrganization {
  organizationId: string;
  organizationName: string;
  encounters: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Payers

// Commonly published electronic payer IDs; the rest of each record is synthetic.
const payerDirectory: ReadonlyArray<readonly [string, string]> = [
  ['60054', 'Aetna'],
  ['47198', 'Anthem Blue Cross (California)'],
  ['84980', 'Blue Cross Blue Shield of Texas'],
  ['62308', 'Cigna'],
  ['00590', 'Florida Blue'],
  ['61101', 'Humana'],
  ['99726', 'TRICARE West Region'],
  ['87726', 'UnitedHealthcare'],
];

/** The payer directory, sorted by name; the same for every organisation, as Candid's is. */
export const payers: readonly Payer[] = payerDirectory.map(([payerId, name]) => ({
  payer_uuid: deterministicUuid(`payer:${payerId}`),
  payer_id: payerId,
  payer_name: name,
  availity_payer_name: name,
  availity_claims_payer_id: payerId,
}));

// ---------------------------------------------------------------------------------------------------------------
// Encounters

const firstNames = {
  female: ['Amelia', 'Grace', 'Maya', 'Sofia', 'Harper', 'Nora', 'Elena', 'Priya', 'Chloe', 'Aaliyah'],
  male: ['Liam', 'Mateo', 'Ethan', 'Noah', 'Caleb', 'Julian', 'Owen', 'Arjun', 'Marcus', 'Diego'],
} as const;
const lastNames = [
  'Nguyen',
  'Garcia',
  'Okafor',
  'Patel',
  'Johnson',
  'Kowalski',
  'Reyes',
  'Bennett',
  'Haddad',
  'Sullivan',
  'Tanaka',
  'Moreau',
] as const;
const places = [
  { city: 'Austin', state: 'TX', zip: '787' },
  { city: 'Tampa', state: 'FL', zip: '336' },
  { city: 'Sacramento', state: 'CA', zip: '958' },
  { city: 'Columbus', state: 'OH', zip: '432' },
  { city: 'Denver', state: 'CO', zip: '802' },
] as const;
const streets = ['Oak St', 'Maple Ave', 'Cedar Ln', 'Lakeview Dr', 'Main St', 'Willow Way', 'Park Blvd'] as const;

interface VisitTemplate {
  procedure: string;
  chargeCents: number;
  units: 'UN' | 'MJ';
  diagnoses: readonly [readonly [string, string], ...Array<readonly [string, string]>];
}

const visits: readonly [VisitTemplate, ...VisitTemplate[]] = [
  { procedure: '99213', chargeCents: 15_000, units: 'UN', diagnoses: [['I10', 'Essential (primary) hypertension'], ['J06.9', 'Acute upper respiratory infection, unspecified']] },
  { procedure: '99214', chargeCents: 22_000, units: 'UN', diagnoses: [['E11.9', 'Type 2 diabetes mellitus without complications'], ['E78.5', 'Hyperlipidemia, unspecified']] },
  { procedure: '99203', chargeCents: 18_000, units: 'UN', diagnoses: [['M54.50', 'Low back pain, unspecified'], ['R51.9', 'Headache, unspecified']] },
  { procedure: '99395', chargeCents: 24_000, units: 'UN', diagnoses: [['Z00.00', 'Encounter for general adult medical examination without abnormal findings']] },
  { procedure: '90834', chargeCents: 16_000, units: 'MJ', diagnoses: [['F41.1', 'Generalized anxiety disorder'], ['F32.1', 'Major depressive disorder, single episode, moderate']] },
  { procedure: '90837', chargeCents: 21_000, units: 'MJ', diagnoses: [['F33.1', 'Major depressive disorder, recurrent, moderate'], ['F43.10', 'Post-traumatic stress disorder, unspecified']] },
  { procedure: '90791', chargeCents: 25_000, units: 'UN', diagnoses: [['F90.0', 'Attention-deficit hyperactivity disorder, predominantly inattentive type']] },
];

// Weighted towards the states a live practice mostly has.
const statusWeights: readonly [ClaimStatus, ...ClaimStatus[]] = [
  'paid', 'paid', 'paid', 'finalized_paid', 'finalized_paid', 'submitted_to_payer', 'submitted_to_payer',
  'biller_received', 'coded', 'era_received', 'denied', 'rejected', 'missing_information', 'waiting_for_provider',
];
const paidStatuses = new Set<ClaimStatus>(['paid', 'finalized_paid', 'era_received', 'paid_incorrectly']);
const submittedStatuses = new Set<ClaimStatus>([
  ...paidStatuses, 'submitted_to_payer', 'denied', 'rejected', 'finalized_denied', 'era_requires_review',
]);

const msPerHour = 3_600_000;
const msPerDay = 24 * msPerHour;
// Fixed so the data does not drift with the clock: the newest encounter was created at this instant.
const newestCreatedAtMs = Date.UTC(2026, 6, 31, 17, 30);

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function digits(random: Random, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String(between(random, 0, 9));
  return text;
}

/** A 10-digit NPI with a valid check digit (Luhn over the "80840" prefix plus the first nine digits). */
export function syntheticNpi(random: Random): string {
  const base = `1${digits(random, 8)}`;
  const payload = `80840${base}`;
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let digit = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${base}${(10 - (sum % 10)) % 10}`;
}

type Place = (typeof places)[number];

function syntheticAddress(random: Random, place: Place): StreetAddress {
  const address1 = `${between(random, 100, 9899)} ${pick(random, streets)}`;
  const zipCode = `${place.zip}${digits(random, 2)}`;
  return {
    address1,
    city: place.city,
    state: place.state,
    zip_code: zipCode,
    // Its own seed, so that adding it left every other generated value as it was.
    zip_plus_four_code: digits(seededRandom(`zip4:${address1}:${zipCode}`), 4),
  };
}

// Patients live in the practice's metro area.
function syntheticPatient(org: SyntheticOrganization, patientIndex: number, place: Place): Patient {
  const random = seededRandom(`${org.organizationId}:patient:${patientIndex}`);
  const gender = random() < 0.5 ? 'female' : 'male';
  const birthMs = Date.UTC(1950, 0, 1) + between(random, 0, 55 * 365) * msPerDay;
  return {
    individual_id: deterministicUuid(`${org.organizationId}:patient:${patientIndex}`),
    external_id: `MRN-${String(10_000 + patientIndex * 7 + between(random, 0, 6)).padStart(6, '0')}`,
    first_name: pick(random, firstNames[gender]),
    last_name: pick(random, lastNames),
    gender,
    date_of_birth: isoDate(birthMs),
    address: syntheticAddress(random, place),
    phone_numbers: [],
    phone_consent: false,
    email_consent: false,
    auto_charge_consent: false,
    non_insurance_payers: [],
    non_insurance_payers_info: [],
  };
}

interface Practice {
  place: Place;
  billing: EncounterProvider;
  rendering: readonly [EncounterProvider, ...EncounterProvider[]];
  facility: Encounter['service_facility'];
}

const practiceCache = new Map<string, Practice>();

function practiceOf(org: SyntheticOrganization): Practice {
  const cached = practiceCache.get(org.organizationId);
  if (cached) return cached;
  const random = seededRandom(`${org.organizationId}:practice`);
  const place = pick(random, places);
  const address = syntheticAddress(random, place);
  const clinician = (n: number): EncounterProvider => ({
    provider_id: deterministicUuid(`${org.organizationId}:rendering:${n}`),
    npi: syntheticNpi(random),
    taxonomy_code: pick(random, ['207Q00000X', '363LF0000X', '103T00000X'] as const),
    address,
    first_name: pick(random, [...firstNames.female, ...firstNames.male] as [string, ...string[]]),
    last_name: pick(random, lastNames),
  });
  const practice: Practice = {
    place,
    billing: {
      provider_id: deterministicUuid(`${org.organizationId}:billing`),
      npi: syntheticNpi(random),
      taxonomy_code: '261QP2300X',
      address,
      organization_name: org.organizationName,
      tax_id: digits(random, 9),
    },
    rendering: [clinician(0), clinician(1), clinician(2)],
    facility: {
      service_facility_id: deterministicUuid(`${org.organizationId}:facility`),
      organization_name: org.organizationName,
      address,
    },
  };
  practiceCache.set(org.organizationId, practice);
  return practice;
}

const customerActions = new Set<ClaimStatus>(['missing_information', 'waiting_for_provider', 'held_by_customer']);
const closedStatuses = new Set<ClaimStatus>(['paid', 'finalized_paid', 'finalized_denied', 'not_billable']);

/** Who has the next task on an encounter in this claim status. */
function ownerOfNextAction(status: ClaimStatus): Encounter['owner_of_next_action'] {
  if (closedStatuses.has(status)) return 'NONE';
  return customerActions.has(status) ? 'CUSTOMER' : 'CANDID';
}

/** The id of the organisation's encounter at `index` (0 = newest). */
export function encounterIdAt(org: SyntheticOrganization, index: number): string {
  return deterministicUuid(`${org.organizationId}:encounter:${index}`);
}

/** The creation instant of the encounter at `index`: strictly decreasing with the index. */
function createdAtMs(random: Random, index: number): number {
  return newestCreatedAtMs - index * 7 * msPerHour - between(random, 0, 6 * 60) * 60_000;
}

/**
 * The organisation's encounter at `index` (0 = newest, as Candid's default sort `created_at:desc`).
 * @param baseUrl the sandbox's public base, for the encounter's `url`
 */
export function createEncounter(org: SyntheticOrganization, index: number, baseUrl: string): Encounter {
  const encounterId = encounterIdAt(org, index);
  const random = seededRandom(`${org.organizationId}:encounter:${index}`);
  const practice = practiceOf(org);
  const created = createdAtMs(random, index);
  const serviceMs = created - between(random, 0, 10) * msPerDay;
  const dateOfService = isoDate(serviceMs);
  const createdAt = isoInstant(created);

  const patientCount = Math.max(1, Math.ceil(org.encounters / 3));
  const patient = syntheticPatient(org, between(random, 0, patientCount - 1), practice.place);
  const visit = pick(random, visits);
  const toDiagnosis = ([code, name]: readonly [string, string], i: number): Diagnosis => ({
    diagnosis_id: deterministicUuid(`${encounterId}:diagnosis:${i}`),
    encounter_id: encounterId,
    name,
    code_type: i === 0 ? 'ABK' : 'ABF',
    code,
    created_at: createdAt,
    updated_at: createdAt,
  });
  const principal = toDiagnosis(visit.diagnoses[0], 0);
  const secondary = visit.diagnoses.slice(1, between(random, 1, visit.diagnoses.length)).map((d, i) => toDiagnosis(d, i + 1));

  const selfPay = random() < 0.1;
  const payer = pick(random, payers as [Payer, ...Payer[]]);
  const status: ClaimStatus = pick(random, statusWeights);
  const claimId = deterministicUuid(`${encounterId}:claim`);
  const allowed = Math.round((visit.chargeCents * between(random, 55, 85)) / 100);
  const patientShare = selfPay ? allowed : pick(random, [0, 2_000, 2_500, 4_000] as const);
  const paid = paidStatuses.has(status);
  const serviceLine: ServiceLine = {
    service_line_id: deterministicUuid(`${encounterId}:service-line:0`),
    claim_id: claimId,
    procedure_code: visit.procedure,
    modifiers: [],
    quantity: visit.units === 'MJ' ? String(visit.procedure === '90837' ? 60 : 45) : '1',
    units: visit.units,
    charge_amount_cents: visit.chargeCents,
    ...(paid
      ? {
          allowed_amount_cents: allowed,
          paid_amount_cents: Math.max(0, allowed - patientShare),
          patient_responsibility_cents: patientShare,
        }
      : {}),
    diagnosis_id_zero: principal.diagnosis_id,
    date_of_service_range: { start_date: dateOfService, end_date: dateOfService },
    date_of_service: dateOfService,
    created_at: createdAt,
  };
  const submitted = submittedStatuses.has(status);
  const claim: Claim = {
    claim_id: claimId,
    status,
    clearinghouse: 'Change Healthcare',
    ...(submitted
      ? {
          clearinghouse_claim_id: deterministicUuid(`${claimId}:clearinghouse`).toUpperCase(),
          payer_claim_id: `${between(random, 10, 99)}${digits(random, 11)}`,
        }
      : {}),
    service_lines: [serviceLine],
    eras: [],
  };

  return {
    encounter_id: encounterId,
    external_id: `VISIT-${org.organizationId.slice(0, 4).toUpperCase()}-${String(org.encounters - index).padStart(5, '0')}`,
    date_of_service: dateOfService,
    claims: [claim],
    patient,
    billing_provider: practice.billing,
    rendering_provider: pick(random, practice.rendering),
    service_facility: practice.facility,
    ...(selfPay
      ? {}
      : {
          subscriber_primary: {
            individual_id: deterministicUuid(`${patient.individual_id}:subscriber`),
            insurance_card: {
              insurance_card_id: deterministicUuid(`${patient.individual_id}:card:${payer.payer_id}`),
              member_id: `${payer.payer_name.slice(0, 1)}${digits(seededRandom(`${patient.individual_id}:member`), 9)}`,
              payer_name: payer.payer_name,
              payer_id: payer.payer_id,
              group_number: `GRP${digits(seededRandom(`${org.organizationId}:${payer.payer_id}:group`), 6)}`,
            },
            // X12 individual relationship code 18: the patient is the subscriber.
            patient_relationship_to_subscriber_code: '18',
            first_name: patient.first_name,
            last_name: patient.last_name,
            gender: patient.gender,
            date_of_birth: patient.date_of_birth,
            address: patient.address,
          },
        }),
    url: `${baseUrl}/api/encounters/v4/${encounterId}`,
    diagnoses: [principal, ...secondary],
    clinical_notes: [],
    patient_histories: [],
    patient_payments: [],
    tags: [],
    schema_instances: [],
    place_of_service_code: random() < 0.3 ? '10' : '11',
    patient_authorized_release: true,
    benefits_assigned_to_provider: true,
    provider_accepts_assignment: true,
    billable_status: 'BILLABLE',
    responsible_party: selfPay ? 'SELF_PAY' : 'INSURANCE_PAY',
    owner_of_next_action: ownerOfNextAction(status),
    submission_origin: 'CANDID',
    created_at: createdAt,
  };
}

/** Every encounter of the organisation, newest first. */
export function listEncounters(org: SyntheticOrganization, baseUrl: string): Encounter[] {
  return Array.from({ length: org.encounters }, (_, index) => createEncounter(org, index, baseUrl));
}

/** The organisation's encounter with this id, or undefined (another organisation's ids are not found). */
export function findEncounter(org: SyntheticOrganization, encounterId: string, baseUrl: string): Encounter | undefined {
  for (let index = 0; index < org.encounters; index++) {
    if (encounterIdAt(org, index) === encounterId) return createEncounter(org, index, baseUrl);
  }
  return undefined;
}
