import 'server-only';
import { between, type Random } from '../shared/hash';
import { digitString } from './deterministic';
import { bbCodeSystem, bbVariables, c4bb, coding, dayToDate, fhirInstant, type Coding } from './fhir-codes';

/** What every synthetic claim builder receives: its identity, its service day and its own random stream. */
export interface ClaimSeed {
  patientId: string;
  claimId: string;
  groupId: string;
  /** First day of service, as days since 1970-01-01. */
  serviceDay: number;
  random: Random;
}

/** ICD-10 diagnoses common among Medicare beneficiaries, with the displays BFD sends. */
export const diagnoses: ReadonlyArray<[string, string]> = [
  ['E119', 'TYPE 2 DIABETES MELLITUS WITHOUT COMPLICATIONS'],
  ['I10', 'ESSENTIAL (PRIMARY) HYPERTENSION'],
  ['E785', 'HYPERLIPIDEMIA, UNSPECIFIED'],
  ['M810', 'AGE-RELATED OSTEOPOROSIS W/O CURRENT PATHOLOGICAL FRACTURE'],
  ['J449', 'CHRONIC OBSTRUCTIVE PULMONARY DISEASE, UNSPECIFIED'],
  ['I4891', 'UNSPECIFIED ATRIAL FIBRILLATION'],
  ['M1990', 'UNSPECIFIED OSTEOARTHRITIS, UNSPECIFIED SITE'],
  ['I509', 'HEART FAILURE, UNSPECIFIED'],
  ['J189', 'PNEUMONIA, UNSPECIFIED ORGANISM'],
  ['R079', 'CHEST PAIN, UNSPECIFIED'],
  ['N390', 'URINARY TRACT INFECTION, SITE NOT SPECIFIED'],
  ['Z0000', 'ENCNTR FOR GENERAL ADULT MEDICAL EXAM W/O ABNORMAL FINDINGS'],
];

const principalDiagnosis = "The single medical diagnosis that is most relevant to the patient's chief complaint or need for treatment.";

/** A fake but well-formed NPI-length number (BFD's synthetic data uses all-9 placeholders). */
export function syntheticNpi(random: Random): string {
  return digitString(random, 10);
}

/** The day the claim was processed: one to four weeks after service. */
export function processedDay(seed: ClaimSeed, lastServiceDay = seed.serviceDay): number {
  return lastServiceDay + between(seed.random, 7, 28);
}

/** `meta` of a claim: updated the day after processing, with its CARIN profile. */
export function eobMeta(seed: ClaimSeed, profile: string) {
  const updated = (processedDay(seed) + 1) * 86_400_000 + between(seed.random, 0, 86_399_999);
  return { lastUpdated: fhirInstant(updated), profile: [`${c4bb}/StructureDefinition/${profile}`] };
}

/** The claim id and claim group, both typed "Unique Claim ID" as BFD does. */
export function claimIdentifiers(seed: ClaimSeed, idVariable: 'clm_id' | 'pde_id') {
  const uniqueClaimId = { coding: [coding(`${c4bb}/CodeSystem/C4BBIdentifierType`, 'uc', 'Unique Claim ID')] };
  return [
    { type: uniqueClaimId, system: `${bbVariables}/${idVariable}`, value: seed.claimId },
    { type: uniqueClaimId, system: 'https://bluebutton.cms.gov/resources/identifier/claim-group', value: seed.groupId },
  ];
}

/** `type.coding`: the NCH claim type (absent for Part D events), Blue Button's EOB type, and the CARIN claim type. */
export function eobType(nchCode: [string, string] | undefined, eobTypeCode: string, claimType: [string, string]) {
  const codings: Coding[] = [];
  if (nchCode) codings.push(coding(`${bbVariables}/nch_clm_type_cd`, nchCode[0], nchCode[1]));
  codings.push(coding(`${bbCodeSystem}/eob-type`, eobTypeCode));
  codings.push(coding('http://terminology.hl7.org/CodeSystem/claim-type', claimType[0], claimType[1]));
  return { coding: codings };
}

/** One or two ICD-10 diagnoses, the first principal. */
export function claimDiagnoses(random: Random, count: number) {
  const picked: Array<[string, string]> = [];
  while (picked.length < count) {
    const candidate = diagnoses[between(random, 0, diagnoses.length - 1)];
    if (candidate && !picked.includes(candidate)) picked.push(candidate);
  }
  return picked.map(([code, display], index) => ({
    sequence: index + 1,
    diagnosisCodeableConcept: { coding: [coding('http://hl7.org/fhir/sid/icd-10', code, display)] },
    type: [
      {
        coding: [
          index === 0
            ? coding(`${bbCodeSystem}/diagnosis-type`, 'principal', principalDiagnosis)
            : coding(`${bbCodeSystem}/diagnosis-type`, 'other', 'A diagnosis that is not principal.'),
        ],
      },
    ],
  }));
}

/** A `{start, end}` period of whole days. */
export function billablePeriod(startDay: number, endDay = startDay) {
  return { start: dayToDate(startDay), end: dayToDate(endDay) };
}

/** The `insurance` entry pointing at the beneficiary’s Coverage for a Medicare part. */
export function coverageReference(part: 'a' | 'b' | 'd', patientId: string) {
  return { focal: true, coverage: { reference: `Coverage/part-${part}-${patientId}` } };
}

/** Splits an allowed amount into Medicare's 80 % and the beneficiary's 20 % coinsurance, to the cent. */
export function splitAllowed(allowed: number): { paid: number; coinsurance: number } {
  const coinsurance = Math.round(allowed * 20) / 100;
  return { paid: Math.round((allowed - coinsurance) * 100) / 100, coinsurance };
}

/** A sum of dollar amounts, rounded to the cent. */
export function sum(values: readonly number[]): number {
  return Math.round(values.reduce((total, value) => total + value, 0) * 100) / 100;
}
