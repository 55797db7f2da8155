import 'server-only';
import { between, combineSeed, fnv1a, mulberry32, pick, type Random } from '../shared/hash';
import { linesToStu3 } from './stu3';

/**
 * Deterministic synthetic Medicare data in CARIN Blue Button shapes: Patient, Coverage, ExplanationOfBenefit and,
 * for REACH model entities, partially adjudicated Claim and ClaimResponse. Every value is a function of
 * (CMS id, patient index, resource type), so the same export always yields the same bytes, and any patient can
 * be rendered on its own: files are produced lazily, one patient at a time, never held whole in memory.
 *
 * Lines are built with template strings from fixed code lists, which contain no characters JSON would escape;
 * that keeps the 30,000-enrollee set fast to stream.
 */

export const bcdaResourceTypes = ['Patient', 'Coverage', 'ExplanationOfBenefit', 'Claim', 'ClaimResponse', 'Observation'] as const;
export type BcdaResourceType = (typeof bcdaResourceTypes)[number];
/** The types every version serves in R4 shape; Observation is v1's (STU3) only. */
type R4ResourceType = Exclude<BcdaResourceType, 'Observation'>;

/** Whose data to generate: a model entity's CMS id and its number of enrollees. */
export interface SyntheticDataset {
  acoId: string;
  enrollees: number;
}

/** The lines of one NDJSON file, addressable per patient. */
export interface LineSource {
  /** Number of patients, i.e. cursor positions. */
  readonly count: number;
  /** Every line for the patient at `index`, each ending in `\n`; empty when `_since` filters them all out. */
  linesAt(index: number): string;
}

// ---------------------------------------------------------------------------------------------------------------
// Randomness and formatting

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

const msPerDay = 86_400_000;

function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / msPerDay;
}

/** `YYYY-MM-DD` for a day number (days since 1970-01-01), by Hinnant's civil-from-days algorithm. */
function isoDate(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** `YYYY-MM-DDThh:mm:ss.mmm+00:00`, Blue Button's `meta.lastUpdated` form. */
function isoInstant(ms: number): string {
  const day = Math.floor(ms / msPerDay);
  const inDay = ms - day * msPerDay;
  const hours = Math.floor(inDay / 3_600_000);
  const minutes = Math.floor(inDay / 60_000) % 60;
  const seconds = Math.floor(inDay / 1000) % 60;
  return `${isoDate(day)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(inDay % 1000, 3)}+00:00`;
}

function randomInstant(random: Random, fromDay: number, toDay: number): number {
  return between(random, fromDay, toDay) * msPerDay + Math.floor(random() * msPerDay);
}

function money(cents: number): string {
  const rest = cents % 100;
  return `${Math.floor(cents / 100)}.${rest < 10 ? '0' : ''}${rest}`;
}

function usd(cents: number): string {
  return `{"value":${money(cents)},"currency":"USD"}`;
}

function coding(system: string, code: string, display?: string): string {
  return display === undefined
    ? `{"system":"${system}","code":"${code}"}`
    : `{"system":"${system}","code":"${code}","display":"${display}"}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Code lists and fixed fragments

const bb = 'https://bluebutton.cms.gov/resources/variables/';
const bbCodeSystem = 'https://bluebutton.cms.gov/resources/codesystem/';
const carinCodeSystem = 'http://hl7.org/fhir/us/carin-bb/CodeSystem/';
const carinProfile = 'http://hl7.org/fhir/us/carin-bb/StructureDefinition/';
const adjudicationSystem = 'http://terminology.hl7.org/CodeSystem/adjudication';
const npiSystem = 'http://hl7.org/fhir/sid/us-npi';

// Data dates are pinned (not relative to "now") so exports are byte-for-byte repeatable.
const firstServiceDay = dayNumber(2023, 1, 1);
const lastServiceDay = dayNumber(2025, 9, 30);
const firstUpdateDay = dayNumber(2024, 1, 1);
const lastUpdateDay = dayNumber(2025, 12, 31);

const familyNames = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
] as const;
const femaleNames = [
  'Mary', 'Patricia', 'Linda', 'Barbara', 'Elizabeth', 'Jennifer', 'Maria', 'Susan', 'Margaret', 'Dorothy',
  'Lisa', 'Nancy', 'Karen', 'Betty', 'Helen', 'Sandra', 'Donna', 'Carol', 'Ruth', 'Sharon',
] as const;
const maleNames = [
  'James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Charles', 'Joseph', 'Thomas',
  'Christopher', 'Daniel', 'Paul', 'Mark', 'Donald', 'George', 'Kenneth', 'Steven', 'Edward', 'Brian',
] as const;
const initials = 'ABCDEFGHJKLMNPRSTW';

const states = [
  ['MD', '212'], ['VA', '223'], ['NY', '100'], ['FL', '331'], ['TX', '770'], ['CA', '900'], ['PA', '191'],
  ['OH', '441'], ['IL', '606'], ['GA', '303'], ['NC', '276'], ['MI', '482'], ['AZ', '850'], ['WA', '981'],
  ['MA', '021'], ['NJ', '070'],
] as const;

const races = [
  ['1', 'White'], ['1', 'White'], ['1', 'White'], ['2', 'Black'], ['5', 'Hispanic'], ['4', 'Asian'],
  ['3', 'Other'], ['6', 'North American Native'], ['0', 'Unknown'],
] as const;

// MBI letters exclude S, L, O, I, B and Z (CMS MBI format).
const mbiLetters = 'ACDEFGHJKMNPQRTUVWXY';
const mbiAlphanumerics = `${mbiLetters}0123456789`;

const diagnoses = [
  ['E119', 'TYPE 2 DIABETES MELLITUS WITHOUT COMPLICATIONS'],
  ['I10', 'ESSENTIAL (PRIMARY) HYPERTENSION'],
  ['E785', 'HYPERLIPIDEMIA, UNSPECIFIED'],
  ['J449', 'CHRONIC OBSTRUCTIVE PULMONARY DISEASE, UNSPECIFIED'],
  ['I480', 'PAROXYSMAL ATRIAL FIBRILLATION'],
  ['N1830', 'CHRONIC KIDNEY DISEASE, STAGE 3 UNSPECIFIED'],
  ['I5032', 'CHRONIC DIASTOLIC (CONGESTIVE) HEART FAILURE'],
  ['M1990', 'UNSPECIFIED OSTEOARTHRITIS, UNSPECIFIED SITE'],
  ['F329', 'MAJOR DEPRESSIVE DISORDER, SINGLE EPISODE, UNSPECIFIED'],
  ['M810', 'AGE-RELATED OSTEOPOROSIS W/O CURRENT PATHOLOGICAL FRACTURE'],
  ['G309', "ALZHEIMER'S DISEASE, UNSPECIFIED"],
  ['R0789', 'OTHER CHEST PAIN'],
  ['J189', 'PNEUMONIA, UNSPECIFIED ORGANISM'],
  ['N390', 'URINARY TRACT INFECTION, SITE NOT SPECIFIED'],
  ['I2510', 'ATHEROSCLEROTIC HEART DISEASE OF NATIVE CORONARY ARTERY WITHOUT ANGINA PECTORIS'],
  ['Z0000', 'ENCOUNTER FOR GENERAL ADULT MEDICAL EXAMINATION WITHOUT ABNORMAL FINDINGS'],
] as const;

const professionalCodes = [
  '99213', '99214', '99215', '99203', '99204', '93000', '80053', '85025', '36415', '77085', '71046', 'G0439',
  '99497', '20610', '97110',
] as const;
const outpatientCodes = ['99284', '71046', '74177', '93005', '80048', '96372', '36415', '85025'] as const;

const placesOfService = [
  ['11', 'Office'], ['11', 'Office'], ['22', 'On Campus-Outpatient Hospital'], ['23', 'Emergency Room - Hospital'],
  ['12', 'Home'], ['31', 'Skilled Nursing Facility'],
] as const;

const revenueCenters = [
  ['0450', 'Emergency room - general classification'],
  ['0300', 'Laboratory - general classification'],
  ['0320', 'Radiology - diagnostic - general classification'],
  ['0250', 'Pharmacy - general classification'],
  ['0730', 'EKG/ECG - general classification'],
  ['0636', 'Drugs requiring detailed coding'],
] as const;

const eobKinds = ['carrier', 'carrier', 'carrier', 'carrier', 'outpatient', 'outpatient', 'inpatient'] as const;
type EobKind = (typeof eobKinds)[number];

const eobTypeCoding: Record<EobKind, string> = {
  carrier:
    `{"coding":[${coding(`${bb}nch_clm_type_cd`, '71', 'Local carrier non-durable medical equipment, prosthetics, orthotics, and supplies (DMEPOS) claim')},` +
    `${coding(`${bbCodeSystem}eob-type`, 'CARRIER')},${coding('http://terminology.hl7.org/CodeSystem/claim-type', 'professional', 'Professional')}]}`,
  outpatient:
    `{"coding":[${coding(`${bb}nch_clm_type_cd`, '40', 'Hospital Outpatient claim')},` +
    `${coding(`${bbCodeSystem}eob-type`, 'OUTPATIENT')},${coding('http://terminology.hl7.org/CodeSystem/claim-type', 'institutional', 'Institutional')}]}`,
  inpatient:
    `{"coding":[${coding(`${bb}nch_clm_type_cd`, '60', 'Inpatient claim')},` +
    `${coding(`${bbCodeSystem}eob-type`, 'INPATIENT')},${coding('http://terminology.hl7.org/CodeSystem/claim-type', 'institutional', 'Institutional')}]}`,
};

const eobProfile: Record<EobKind, string> = {
  carrier: `${carinProfile}C4BB-ExplanationOfBenefit-Professional-NonClinician`,
  outpatient: `${carinProfile}C4BB-ExplanationOfBenefit-Outpatient-Institutional`,
  inpatient: `${carinProfile}C4BB-ExplanationOfBenefit-Inpatient-Institutional`,
};

const uniqueClaimIdType = `{"coding":[${coding(`${carinCodeSystem}C4BBIdentifierType`, 'uc', 'Unique Claim ID')}]}`;
const principalDiagnosisType = `[{"coding":[${coding(`${bbCodeSystem}diagnosis-type`, 'principal', "The single medical diagnosis that is most relevant to the patient's chief complaint or need for treatment.")}]}]`;
const secondaryDiagnosisType = `[{"coding":[${coding(`${bbCodeSystem}diagnosis-type`, 'secondary', 'Secondary diagnosis')}]}]`;
const submittedCategory = `{"coding":[${coding(adjudicationSystem, 'submitted', 'Submitted Amount')}]}`;
const eligibleCategory = `{"coding":[${coding(adjudicationSystem, 'eligible', 'Eligible Amount')}]}`;
const benefitCategory = `{"coding":[${coding(adjudicationSystem, 'benefit', 'Benefit Amount')}]}`;
const performingRole = `{"coding":[${coding(`${carinCodeSystem}C4BBClaimCareTeamRole`, 'performing', 'Performing provider')}]}`;
const cmsInsurer = '{"identifier":{"value":"CMS"}}';

// ---------------------------------------------------------------------------------------------------------------
// Patients

/** Per-data-set constants, computed once per file. */
interface DatasetKey {
  seed: number;
  /** Three digits that keep ids of different model entities apart. */
  code: string;
}

function datasetKey(acoId: string): DatasetKey {
  const seed = fnv1a(acoId);
  return { seed, code: String(100 + (seed % 900)) };
}

// Distinct salts give each resource type its own random stream, so filtering one never shifts another.
const salts = { patient: 0x50415449, eob: 0x454f4221, claim: 0x434c4149, observation: 0x4f425356 } as const;

interface PatientFacts {
  id: string;
  mbi: string;
  family: string;
  given: string;
  middle: string;
  gender: 'female' | 'male';
  birthYear: number;
  birthDate: string;
  state: string;
  postalCode: string;
  race: readonly [string, string];
  lastUpdatedMs: number;
  hasPartD: boolean;
}

function drawMbi(random: Random): string {
  const letter = () => mbiLetters.charAt(Math.floor(random() * mbiLetters.length));
  const alnum = () => mbiAlphanumerics.charAt(Math.floor(random() * mbiAlphanumerics.length));
  const digit = () => String(Math.floor(random() * 10));
  return `${between(random, 1, 9)}${letter()}${alnum()}${digit()}${letter()}${alnum()}${digit()}${letter()}${letter()}${digit()}${digit()}`;
}

/** Sandbox patient ids are negative, as in BCDA's sandbox (e.g. `-10000000012345`). */
function patientId(key: DatasetKey, index: number): string {
  return `-1${key.code}${pad(index + 1, 10)}`;
}

function drawPatient(key: DatasetKey, index: number): PatientFacts {
  const random = mulberry32(combineSeed(key.seed, index, salts.patient));
  const gender = random() < 0.55 ? 'female' : 'male';
  const birthYear = between(random, 1932, 1959);
  const birthMonth = between(random, 1, 12);
  const [state, zipPrefix] = pick(random, states);
  return {
    id: patientId(key, index),
    mbi: drawMbi(random),
    family: pick(random, familyNames),
    given: pick(random, gender === 'female' ? femaleNames : maleNames),
    middle: initials.charAt(Math.floor(random() * initials.length)),
    gender,
    birthYear,
    birthDate: `${birthYear}-${pad(birthMonth, 2)}-${pad(between(random, 1, 28), 2)}`,
    state,
    postalCode: `${zipPrefix}${pad(between(random, 1, 99), 2)}`,
    race: pick(random, races),
    lastUpdatedMs: randomInstant(random, firstUpdateDay, lastUpdateDay),
    hasPartD: random() < 0.8,
  };
}

function renderPatient(p: PatientFacts): string {
  return (
    `{"resourceType":"Patient","id":"${p.id}","meta":{"lastUpdated":"${isoInstant(p.lastUpdatedMs)}","profile":["${carinProfile}C4BB-Patient"]},` +
    `"extension":[{"url":"${bb}race","valueCoding":${coding(`${bb}race`, p.race[0], p.race[1])}}],` +
    `"identifier":[{"type":{"coding":[${coding(`${carinCodeSystem}C4BBIdentifierType`, 'PI', 'Patient internal identifier')}]},"system":"${bb}bene_id","value":"${p.id}"},` +
    `{"type":{"coding":[${coding('http://terminology.hl7.org/CodeSystem/v2-0203', 'MB', 'Member Number')}]},"system":"http://hl7.org/fhir/sid/us-mbi","value":"${p.mbi}"}],` +
    `"name":[{"use":"usual","family":"${p.family}","given":["${p.given}","${p.middle}"]}],` +
    `"gender":"${p.gender}","birthDate":"${p.birthDate}","address":[{"state":"${p.state}","postalCode":"${p.postalCode}"}]}\n`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Coverage

const coverageParts = [
  ['a', 'Part A'],
  ['b', 'Part B'],
  ['d', 'Part D'],
] as const;

function renderCoverage(p: PatientFacts, part: (typeof coverageParts)[number]): string {
  const [letter, label] = part;
  const contract = letter === 'd' ? `,{"url":"${bb}ptdcntrct01","valueCoding":${coding(`${bb}ptdcntrct01`, 'S5601')}}` : '';
  return (
    `{"resourceType":"Coverage","id":"part-${letter}-${p.id}","meta":{"lastUpdated":"${isoInstant(p.lastUpdatedMs)}","profile":["${carinProfile}C4BB-Coverage"]},` +
    `"extension":[{"url":"${bb}ms_cd","valueCoding":${coding(`${bb}ms_cd`, '10', 'Aged without end-stage renal disease (ESRD)')}}${contract}],` +
    `"status":"active","type":{"coding":[${coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', 'SUBSIDIZ')}]},` +
    `"subscriberId":"${p.mbi}","beneficiary":{"reference":"Patient/${p.id}"},` +
    `"relationship":{"coding":[${coding('http://terminology.hl7.org/CodeSystem/subscriber-relationship', 'self', 'Self')}]},` +
    `"period":{"start":"${p.birthYear + 65}-${p.birthDate.slice(5, 7)}-01"},` +
    `"payor":[{"identifier":{"value":"Centers for Medicare and Medicaid Services"}}],` +
    `"class":[{"type":{"coding":[${coding('http://terminology.hl7.org/CodeSystem/coverage-class', 'subgroup', 'SubGroup')}]},"value":"Medicare"},` +
    `{"type":{"coding":[${coding('http://terminology.hl7.org/CodeSystem/coverage-class', 'subplan', 'SubPlan')}]},"value":"${label}"}]}\n`
  );
}

function renderCoverages(p: PatientFacts): string {
  const parts = p.hasPartD ? coverageParts : coverageParts.slice(0, 2);
  let lines = '';
  for (const part of parts) lines += renderCoverage(p, part);
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// ExplanationOfBenefit

interface LineDraw {
  code: string;
  place: readonly [string, string];
  revenue: readonly [string, string];
  day: number;
  quantity: number;
  submittedCents: number;
  allowedCents: number;
  paidCents: number;
}

interface EobDraw {
  kind: EobKind;
  claimId: string;
  claimGroup: string;
  startDay: number;
  endDay: number;
  createdMs: number;
  lastUpdatedMs: number;
  providerNpi: string;
  diagnoses: number[];
  lines: LineDraw[];
}

function drawNpi(random: Random): string {
  return `1${pad(between(random, 0, 999_999_999), 9)}`;
}

function drawLine(random: Random, kind: EobKind, startDay: number, endDay: number): LineDraw {
  const submittedCents = between(random, 40, kind === 'inpatient' ? 3000 : 600) * 100 + between(random, 0, 99);
  const allowedCents = Math.floor(submittedCents * (0.35 + random() * 0.4));
  return {
    code: pick(random, kind === 'carrier' ? professionalCodes : outpatientCodes),
    place: pick(random, placesOfService),
    revenue: pick(random, revenueCenters),
    day: between(random, startDay, endDay),
    quantity: between(random, 1, 3),
    submittedCents,
    allowedCents,
    paidCents: Math.floor(allowedCents * 0.8),
  };
}

function drawEob(random: Random, key: DatasetKey, patientIndex: number, ordinal: number): EobDraw {
  const kind = pick(random, eobKinds);
  const startDay = between(random, firstServiceDay, lastServiceDay);
  const endDay = kind === 'inpatient' ? startDay + between(random, 1, 8) : startDay;
  const createdMs = (endDay + between(random, 3, 10)) * msPerDay + Math.floor(random() * msPerDay);
  const lastUpdatedMs = Math.min(createdMs + between(random, 0, 120) * msPerDay, lastUpdateDay * msPerDay + msPerDay - 1);
  const diagnosisCount = between(random, 1, 3);
  const diagnosisPicks: number[] = [];
  for (let i = 0; i < diagnosisCount; i++) diagnosisPicks.push(Math.floor(random() * diagnoses.length));
  const lineCount = between(random, 1, 3);
  const lines: LineDraw[] = [];
  for (let i = 0; i < lineCount; i++) lines.push(drawLine(random, kind, startDay, endDay));
  const serial = pad(patientIndex * 4 + ordinal, 8);
  return {
    kind,
    claimId: `${key.code}${serial}`,
    claimGroup: `9${key.code}${serial}`,
    startDay,
    endDay,
    createdMs,
    lastUpdatedMs,
    providerNpi: drawNpi(random),
    diagnoses: diagnosisPicks,
    lines,
  };
}

function drawEobs(key: DatasetKey, index: number): EobDraw[] {
  const random = mulberry32(combineSeed(key.seed, index, salts.eob));
  const count = between(random, 1, 4);
  const eobs: EobDraw[] = [];
  for (let ordinal = 0; ordinal < count; ordinal++) eobs.push(drawEob(random, key, index, ordinal));
  return eobs;
}

function renderDiagnoses(picks: readonly number[]): string {
  let out = '';
  for (let i = 0; i < picks.length; i++) {
    const [code, display] = diagnoses[picks[i] ?? 0] ?? diagnoses[0];
    out +=
      `${i === 0 ? '' : ','}{"sequence":${i + 1},"diagnosisCodeableConcept":{"coding":[${coding('http://hl7.org/fhir/sid/icd-10-cm', code, display)}]},` +
      `"type":${i === 0 ? principalDiagnosisType : secondaryDiagnosisType}}`;
  }
  return out;
}

function renderAdjudication(line: LineDraw): string {
  return (
    `[{"category":${submittedCategory},"amount":${usd(line.submittedCents)}},` +
    `{"category":${eligibleCategory},"amount":${usd(line.allowedCents)}},` +
    `{"category":${benefitCategory},"amount":${usd(line.paidCents)}}]`
  );
}

function renderEobItem(eob: EobDraw, line: LineDraw, sequence: number): string {
  const date = isoDate(line.day);
  const institutional = eob.kind !== 'carrier';
  const revenue = institutional ? `"revenue":{"coding":[${coding(`${bb}rev_cntr`, line.revenue[0], line.revenue[1])}]},` : '';
  const location = institutional
    ? ''
    : `"locationCodeableConcept":{"coding":[${coding(`${bb}line_place_of_srvc_cd`, line.place[0], line.place[1])}]},`;
  const careTeam = institutional ? '' : '"careTeamSequence":[1],';
  return (
    `{"sequence":${sequence},${careTeam}"diagnosisSequence":[1],${revenue}` +
    `"productOrService":{"coding":[${coding(`${bbCodeSystem}hcpcs`, line.code)}]},` +
    `"servicedPeriod":{"start":"${date}","end":"${date}"},${location}"quantity":{"value":${line.quantity}},` +
    `"adjudication":${renderAdjudication(line)}}`
  );
}

function renderEobProvider(eob: EobDraw): string {
  if (eob.kind === 'carrier') {
    return (
      `"provider":{"identifier":{"system":"${npiSystem}","value":"${eob.providerNpi}"}},"outcome":"complete",` +
      `"careTeam":[{"sequence":1,"provider":{"identifier":{"system":"${npiSystem}","value":"${eob.providerNpi}"}},"responsible":true,"role":${performingRole}}],`
    );
  }
  return (
    `"provider":{"reference":"#provider-org"},"outcome":"complete",` +
    `"facility":{"extension":[{"url":"${bb}clm_fac_type_cd","valueCoding":${coding(`${bb}clm_fac_type_cd`, '1', 'Hospital')}}]},`
  );
}

function renderEob(eob: EobDraw, patient: string): string {
  let items = '';
  let submitted = 0;
  let paid = 0;
  for (let i = 0; i < eob.lines.length; i++) {
    const line = eob.lines[i] as LineDraw;
    items += `${i === 0 ? '' : ','}${renderEobItem(eob, line, i + 1)}`;
    submitted += line.submittedCents;
    paid += line.paidCents;
  }
  const contained =
    eob.kind === 'carrier'
      ? ''
      : `"contained":[{"resourceType":"Organization","id":"provider-org","identifier":[{"system":"${npiSystem}","value":"${eob.providerNpi}"}]}],`;
  const coveragePart = eob.kind === 'inpatient' ? 'a' : 'b';
  return (
    `{"resourceType":"ExplanationOfBenefit","id":"${eob.kind}-${eob.claimId}",` +
    `"meta":{"lastUpdated":"${isoInstant(eob.lastUpdatedMs)}","profile":["${eobProfile[eob.kind]}"]},${contained}` +
    `"extension":[{"url":"${bb}nch_clm_prvdr_pmt_amt","valueMoney":${usd(paid)}}],` +
    `"identifier":[{"type":${uniqueClaimIdType},"system":"${bb}clm_id","value":"${eob.claimId}"},` +
    `{"type":${uniqueClaimIdType},"system":"https://bluebutton.cms.gov/resources/identifier/claim-group","value":"${eob.claimGroup}"}],` +
    `"status":"active","type":${eobTypeCoding[eob.kind]},"use":"claim","patient":{"reference":"Patient/${patient}"},` +
    `"billablePeriod":{"start":"${isoDate(eob.startDay)}","end":"${isoDate(eob.endDay)}"},"created":"${isoInstant(eob.createdMs)}",` +
    `"insurer":${cmsInsurer},${renderEobProvider(eob)}` +
    `"diagnosis":[${renderDiagnoses(eob.diagnoses)}],` +
    `"insurance":[{"focal":true,"coverage":{"reference":"Coverage/part-${coveragePart}-${patient}"}}],` +
    `"item":[${items}],` +
    `"total":[{"category":${submittedCategory},"amount":${usd(submitted)}},{"category":${benefitCategory},"amount":${usd(paid)}}],` +
    `"payment":{"amount":${usd(paid)}}}\n`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Claim and ClaimResponse (partially adjudicated, REACH only)

interface ClaimDraw {
  id: string;
  institutional: boolean;
  startDay: number;
  endDay: number;
  createdMs: number;
  lastUpdatedMs: number;
  providerNpi: string;
  diagnosis: number;
  outcome: 'queued' | 'partial' | 'complete';
  line: LineDraw;
}

function drawClaims(key: DatasetKey, index: number): ClaimDraw[] {
  const random = mulberry32(combineSeed(key.seed, index, salts.claim));
  const count = between(random, 1, 2);
  const claims: ClaimDraw[] = [];
  for (let ordinal = 0; ordinal < count; ordinal++) {
    const institutional = random() < 0.4;
    const startDay = between(random, dayNumber(2025, 1, 1), dayNumber(2025, 11, 30));
    const endDay = startDay + (institutional ? between(random, 0, 3) : 0);
    const createdMs = (endDay + between(random, 1, 5)) * msPerDay + Math.floor(random() * msPerDay);
    claims.push({
      // FISS (institutional) and MCS (professional) claims carry these prefixes in BCDA's partially adjudicated data.
      id: `${institutional ? 'f' : 'm'}-${key.code}${pad(index * 2 + ordinal, 9)}`,
      institutional,
      startDay,
      endDay,
      createdMs,
      lastUpdatedMs: Math.min(createdMs + between(random, 0, 20) * msPerDay, lastUpdateDay * msPerDay + msPerDay - 1),
      providerNpi: drawNpi(random),
      diagnosis: Math.floor(random() * diagnoses.length),
      outcome: pick(random, ['queued', 'partial', 'partial', 'complete'] as const),
      line: drawLine(random, institutional ? 'outpatient' : 'carrier', startDay, endDay),
    });
  }
  return claims;
}

function claimType(claim: ClaimDraw): string {
  return claim.institutional
    ? `{"coding":[${coding('http://terminology.hl7.org/CodeSystem/claim-type', 'institutional', 'Institutional')}]}`
    : `{"coding":[${coding('http://terminology.hl7.org/CodeSystem/claim-type', 'professional', 'Professional')}]}`;
}

function claimIdentifier(claim: ClaimDraw): string {
  const system = claim.institutional ? 'https://dcgeo.cms.gov/resources/variables/fiss-dcn' : 'https://dcgeo.cms.gov/resources/variables/mcs-icn';
  return `[{"type":${uniqueClaimIdType},"system":"${system}","value":"${claim.id.slice(2)}"}]`;
}

function renderClaim(claim: ClaimDraw, patient: string): string {
  const [code, display] = diagnoses[claim.diagnosis] ?? diagnoses[0];
  return (
    `{"resourceType":"Claim","id":"${claim.id}","meta":{"lastUpdated":"${isoInstant(claim.lastUpdatedMs)}"},` +
    `"identifier":${claimIdentifier(claim)},"status":"active","type":${claimType(claim)},"use":"claim",` +
    `"patient":{"reference":"Patient/${patient}"},"billablePeriod":{"start":"${isoDate(claim.startDay)}","end":"${isoDate(claim.endDay)}"},` +
    `"created":"${isoInstant(claim.createdMs)}","provider":{"identifier":{"system":"${npiSystem}","value":"${claim.providerNpi}"}},` +
    `"priority":{"coding":[${coding('http://terminology.hl7.org/CodeSystem/processpriority', 'normal', 'Normal')}]},` +
    `"diagnosis":[{"sequence":1,"diagnosisCodeableConcept":{"coding":[${coding('http://hl7.org/fhir/sid/icd-10-cm', code, display)}]}}],` +
    `"insurance":[{"sequence":1,"focal":true,"coverage":{"identifier":{"value":"${claim.institutional ? 'Medicare Part A' : 'Medicare Part B'}"}}}],` +
    `"item":[{"sequence":1,"productOrService":{"coding":[${coding(`${bbCodeSystem}hcpcs`, claim.line.code)}]},` +
    `"servicedDate":"${isoDate(claim.line.day)}","quantity":{"value":${claim.line.quantity}},"net":${usd(claim.line.submittedCents)}}],` +
    `"total":${usd(claim.line.submittedCents)}}\n`
  );
}

function renderClaimResponse(claim: ClaimDraw, patient: string): string {
  const adjudication =
    claim.outcome === 'queued'
      ? `[{"category":${submittedCategory},"amount":${usd(claim.line.submittedCents)}}]`
      : renderAdjudication(claim.line);
  return (
    `{"resourceType":"ClaimResponse","id":"${claim.id}","meta":{"lastUpdated":"${isoInstant(claim.lastUpdatedMs)}"},` +
    `"identifier":${claimIdentifier(claim)},"status":"active","type":${claimType(claim)},"use":"claim",` +
    `"patient":{"reference":"Patient/${patient}"},"created":"${isoInstant(claim.createdMs)}","insurer":${cmsInsurer},` +
    `"request":{"reference":"Claim/${claim.id}"},"outcome":"${claim.outcome}",` +
    `"item":[{"itemSequence":1,"adjudication":${adjudication}}]}\n`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Line sources

type PatientRenderer = (key: DatasetKey, index: number, sinceMs: number) => string;

const renderers: Record<R4ResourceType, PatientRenderer> = {
  Patient(key, index, sinceMs) {
    const patient = drawPatient(key, index);
    return patient.lastUpdatedMs >= sinceMs ? renderPatient(patient) : '';
  },
  Coverage(key, index, sinceMs) {
    const patient = drawPatient(key, index);
    return patient.lastUpdatedMs >= sinceMs ? renderCoverages(patient) : '';
  },
  ExplanationOfBenefit(key, index, sinceMs) {
    const patient = patientId(key, index);
    let lines = '';
    for (const eob of drawEobs(key, index)) if (eob.lastUpdatedMs >= sinceMs) lines += renderEob(eob, patient);
    return lines;
  },
  Claim(key, index, sinceMs) {
    const patient = patientId(key, index);
    let lines = '';
    for (const claim of drawClaims(key, index)) if (claim.lastUpdatedMs >= sinceMs) lines += renderClaim(claim, patient);
    return lines;
  },
  ClaimResponse(key, index, sinceMs) {
    const patient = patientId(key, index);
    let lines = '';
    for (const claim of drawClaims(key, index)) if (claim.lastUpdatedMs >= sinceMs) lines += renderClaimResponse(claim, patient);
    return lines;
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Observation (v1, STU3 only)

const a1cCoding = coding('http://loinc.org', '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood');
const laboratoryCategory = `[{"coding":[${coding('http://hl7.org/fhir/observation-category', 'laboratory', 'Laboratory')}]}]`;

/** One laboratory result per beneficiary, in STU3: a hemoglobin A1c, as a claims-linked lab value would be. */
function renderObservationStu3(key: DatasetKey, index: number, sinceMs: number): string {
  const random = mulberry32(combineSeed(key.seed, index, salts.observation));
  const day = between(random, dayNumber(2025, 1, 1), dayNumber(2025, 11, 30));
  const lastUpdatedMs = Math.min((day + between(random, 1, 10)) * msPerDay, lastUpdateDay * msPerDay + msPerDay - 1);
  if (lastUpdatedMs < sinceMs) return '';
  const patient = patientId(key, index);
  const value = (between(random, 48, 95) / 10).toFixed(1);
  return (
    `{"resourceType":"Observation","id":"a1c-${patient}","meta":{"lastUpdated":"${isoInstant(lastUpdatedMs)}"},` +
    `"status":"final","category":${laboratoryCategory},"code":{"coding":[${a1cCoding}]},"subject":{"reference":"Patient/${patient}"},` +
    `"effectiveDateTime":"${isoDate(day)}","valueQuantity":{"value":${value},"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}\n`
  );
}

/**
 * The NDJSON lines of one resource type for a data set, in R4 (v2, v3) or STU3 (v1). `sinceMs` keeps only resources
 * whose `meta.lastUpdated` is at or after it, like BCDA's `_since` (passed to Blue Button as `_lastUpdated=ge…`).
 */
export function createLineSource(
  dataset: SyntheticDataset,
  type: BcdaResourceType,
  sinceMs = Number.NEGATIVE_INFINITY,
  fhir: 'R4' | 'STU3' = 'R4',
): LineSource {
  const key = datasetKey(dataset.acoId);
  if (type === 'Observation') {
    if (fhir !== 'STU3') throw new Error('Observation is exported by v1 (STU3) only.');
    return { count: dataset.enrollees, linesAt: (index) => renderObservationStu3(key, index, sinceMs) };
  }
  const render = renderers[type];
  if (fhir === 'STU3') return { count: dataset.enrollees, linesAt: (index) => linesToStu3(render(key, index, sinceMs)) };
  return { count: dataset.enrollees, linesAt: (index) => render(key, index, sinceMs) };
}
