import 'server-only';
import { between, fnv1a, mulberry32 } from '../shared/hash';

/**
 * The SMART sandbox's data: eight synthetic patients, each a login (`patient1` … `patient8`, password
 * `smart-sandbox`) and a FHIR R4 Patient with three vital-sign Observations. Every value is fixed or derived from
 * a seeded generator, so each run serves the same bytes.
 */

export const sandboxPassword = 'smart-sandbox';

/** A synthetic patient and the login that stands for them. */
export interface SyntheticPatient {
  username: string;
  patientId: string;
  given: string;
  family: string;
  gender: 'female' | 'male';
  birthDate: string;
}

const people: ReadonlyArray<[given: string, family: string, gender: 'female' | 'male', birthDate: string]> = [
  ['Amy', 'Shaw', 'female', '1987-02-20'],
  ['Daniel', 'Okafor', 'male', '1975-11-03'],
  ['Maria', 'Gonzalez', 'female', '1992-06-14'],
  ['Wei', 'Chen', 'male', '1968-09-27'],
  ['Fatima', 'Haddad', 'female', '2001-01-09'],
  ['Lars', 'Nilsson', 'male', '1959-04-30'],
  ['Priya', 'Raman', 'female', '1983-12-05'],
  ['Samuel', 'Brooks', 'male', '2010-07-18'],
];

export const syntheticPatients: readonly SyntheticPatient[] = people.map(([given, family, gender, birthDate], i) => ({
  username: `patient${i + 1}`,
  patientId: `smart-${i + 1}`,
  given,
  family,
  gender,
  birthDate,
}));

/** The patient whose login matches (the password is public: no need for a constant-time comparison). */
export function findPatientByLogin(username: string, password: string): SyntheticPatient | undefined {
  if (password !== sandboxPassword) return undefined;
  return syntheticPatients.find((patient) => patient.username === username.trim());
}

export function findPatient(patientId: string): SyntheticPatient | undefined {
  return syntheticPatients.find((patient) => patient.patientId === patientId);
}

/** A FHIR R4 Patient. */
export function patientResource(patient: SyntheticPatient): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: patient.patientId,
    meta: { lastUpdated: '2026-01-01T00:00:00Z' },
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: patient.patientId.toUpperCase() }],
    active: true,
    name: [{ use: 'official', family: patient.family, given: [patient.given] }],
    gender: patient.gender,
    birthDate: patient.birthDate,
  };
}

const vitals = [
  { code: '29463-7', display: 'Body weight', unit: 'kg', min: 48, max: 102 },
  { code: '8302-2', display: 'Body height', unit: 'cm', min: 150, max: 195 },
  { code: '8867-4', display: 'Heart rate', unit: '/min', min: 55, max: 96 },
] as const;

/** The patient's three vital-sign Observations, the same values every run. */
export function observationsOf(patient: SyntheticPatient): Record<string, unknown>[] {
  const random = mulberry32(fnv1a(`smart-observations-${patient.patientId}`));
  return vitals.map((vital, i) => ({
    resourceType: 'Observation',
    id: `${patient.patientId}-obs-${i + 1}`,
    meta: { lastUpdated: '2026-01-01T00:00:00Z' },
    status: 'final',
    category: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: vital.code, display: vital.display }], text: vital.display },
    subject: { reference: `Patient/${patient.patientId}` },
    effectiveDateTime: `2025-${String(between(random, 1, 12)).padStart(2, '0')}-${String(between(random, 1, 28)).padStart(2, '0')}T09:30:00Z`,
    valueQuantity: { value: between(random, vital.min, vital.max), unit: vital.unit, system: 'http://unitsofmeasure.org', code: vital.unit },
  }));
}
