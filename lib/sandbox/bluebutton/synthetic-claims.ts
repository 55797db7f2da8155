import 'server-only';
import { createCarrierEob } from './claims-carrier';
import { createInstitutionalEob } from './claims-institutional';
import { createPdeEob } from './claims-pde';
import type { ClaimSeed } from './claim-common';
import { between, type Random } from '../shared/hash';
import { createRandom, digitString } from './deterministic';
import { dateToDay } from './fhir-codes';
import type { SyntheticUser } from './users';

/**
 * Each beneficiary's ExplanationOfBenefit resources: 25 to 60 claims of four types, a pure function of the
 * patient id. Ordered as BFD returns them, by claim type and then by date of service.
 */

export const claimTypes = ['carrier', 'inpatient', 'outpatient', 'pde'] as const;
/** The claim types the synthetic data has, in BFD’s order. */
export type ClaimType = (typeof claimTypes)[number];

// Rough Medicare mix: most claims are physician visits and prescriptions, a few are hospital stays.
const weights: ReadonlyArray<[ClaimType, number]> = [
  ['carrier', 0.45],
  ['pde', 0.3],
  ['outpatient', 0.17],
  ['inpatient', 0.08],
];

function pickType(random: Random): ClaimType {
  let roll = random();
  for (const [type, weight] of weights) {
    roll -= weight;
    if (roll < 0) return type;
  }
  return 'carrier';
}

const firstServiceDay = dateToDay('2015-01-01');
const lastServiceDay = dateToDay('2020-12-31');

interface ClaimPlan {
  type: ClaimType;
  seed: ClaimSeed;
}

function planClaims(user: SyntheticUser): ClaimPlan[] {
  const random = createRandom(`bluebutton-claims-${user.patientId}`);
  const count = between(random, 25, 60);
  const used = new Set<string>();
  const plans: ClaimPlan[] = [];
  while (plans.length < count) {
    const type = pickType(random);
    const claimId = digitString(random, type === 'pde' ? 10 : 11);
    if (used.has(claimId)) continue;
    used.add(claimId);
    plans.push({
      type,
      seed: {
        patientId: user.patientId,
        claimId,
        groupId: digitString(random, 11),
        serviceDay: between(random, firstServiceDay, lastServiceDay),
        random: createRandom(`bluebutton-claim-${user.patientId}-${claimId}`),
      },
    });
  }
  return plans.sort((a, b) => claimTypes.indexOf(a.type) - claimTypes.indexOf(b.type) || a.seed.serviceDay - b.seed.serviceDay);
}

function build({ type, seed }: ClaimPlan): Record<string, unknown> {
  switch (type) {
    case 'carrier':
      return createCarrierEob(seed);
    case 'pde':
      return createPdeEob(seed);
    default:
      return createInstitutionalEob(seed, type);
  }
}

/** Every ExplanationOfBenefit of the beneficiary, optionally only some claim types. */
export function listExplanationsOfBenefit(user: SyntheticUser, types?: ReadonlySet<ClaimType>): Record<string, unknown>[] {
  return planClaims(user)
    .filter((plan) => !types || types.has(plan.type))
    .map(build);
}

/** One ExplanationOfBenefit by its id (`carrier-…`, `pde-…`), or undefined when it is not this beneficiary's. */
export function findExplanationOfBenefit(user: SyntheticUser, id: string): Record<string, unknown> | undefined {
  const plan = planClaims(user).find((candidate) => `${candidate.type}-${candidate.seed.claimId}` === id);
  return plan ? build(plan) : undefined;
}
