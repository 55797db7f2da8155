import 'server-only';
import { createRandom, pick } from './deterministic';

/**
 * The sandbox's synthetic beneficiaries: `BBUser00000` … `BBUser29999`, password `PW{n}!`, each with a fixed
 * negative FHIR patient id (the docs' BBUser00000 is `-20140000000001`).
 * @see ../shared/seeds/bluebutton-get-started-with-sandbox.txt
 */

export const syntheticUserCount = 30_000;

/** A synthetic beneficiary: login, patient id and the demographics the Patient resource shows. */
export interface SyntheticUser {
  index: number;
  username: string;
  patientId: string;
  givenName: string;
  middleInitial: string;
  familyName: string;
  gender: 'female' | 'male';
  email: string;
}

const femaleNames = ['Jane', 'Mary', 'Patricia', 'Linda', 'Barbara', 'Dorothy', 'Helen', 'Ruth', 'Carol', 'Joan', 'Shirley', 'Betty'];
const maleNames = ['John', 'Robert', 'James', 'William', 'Richard', 'Charles', 'Joseph', 'Thomas', 'Donald', 'George', 'Frank', 'Harold'];
const familyNames = [
  'Doe', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis',
  'Wilson', 'Moore', 'Taylor', 'Anderson', 'Jackson', 'White', 'Harris', 'Martin',
];
const initials = 'ABCDEFGHJKLMNPRSTW';

/** `-2014` followed by n + 1 in ten digits: BBUser00000 → -20140000000001. */
export function patientIdFor(index: number): string {
  return `-2014${String(index + 1).padStart(10, '0')}`;
}

/** The synthetic user at `index` (0 … 29,999). */
export function getSyntheticUser(index: number): SyntheticUser {
  const random = createRandom(`bluebutton-user-${index}`);
  const gender = random() < 0.55 ? 'female' : 'male';
  const givenName = pick(random, gender === 'female' ? femaleNames : maleNames);
  const familyName = pick(random, familyNames);
  const username = `BBUser${String(index).padStart(5, '0')}`;
  return {
    index,
    username,
    patientId: patientIdFor(index),
    givenName,
    middleInitial: pick(random, [...initials]),
    familyName,
    gender,
    email: `${username.toLowerCase()}@example.com`,
  };
}

const usernamePattern = /^BBUser(\d{5})$/;

/** The user whose username and password both match, or undefined (the passwords are public: no need for constant time). */
export function findSyntheticUser(username: string, password: string): SyntheticUser | undefined {
  const digits = usernamePattern.exec(username.trim())?.[1];
  if (digits === undefined || password !== `PW${digits}!` || Number(digits) >= syntheticUserCount) return undefined;
  return getSyntheticUser(Number(digits));
}

const patientIdPattern = /^-2014(\d{10})$/;

/** The user a patient id belongs to, or undefined for ids outside the synthetic range. */
export function findUserByPatientId(patientId: string): SyntheticUser | undefined {
  const digits = patientIdPattern.exec(patientId)?.[1];
  if (digits === undefined) return undefined;
  const index = Number(digits) - 1;
  return index >= 0 && index < syntheticUserCount ? getSyntheticUser(index) : undefined;
}
