import 'server-only';
import { z } from 'zod';
import { createCredentialMatcher } from '../shared/credentials';
import { bcda } from '@/lib/providers/bcda';
import { fnv1a } from '../shared/hash';

/** One sandbox credential set the emulator accepts, derived from a preset in the BCDA provider file. */
export interface BcdaAccount {
  presetId: string;
  clientId: string;
  clientSecret: string;
  /** CMS id of the model entity, e.g. `SBXBD001`: goes into the token's `dat.cms_ids`. */
  acoId: string;
  enrollees: number;
  /** SSAS system id, a numeric string, stable per preset. */
  systemId: string;
  /** REACH ACOs (`SBXBR…`) also get partially adjudicated Claim and ClaimResponse data on v2. */
  partiallyAdjudicated: boolean;
}

const presetFactsSchema = z.object({
  acoId: z.string().regex(/^SBX[A-Z0-9]+$/),
  enrollees: z.number().int().positive(),
});

function toAccount(preset: (typeof bcda.presets)[number]): BcdaAccount {
  const facts = presetFactsSchema.parse(preset.facts);
  return {
    presetId: preset.id,
    clientId: preset.clientId,
    clientSecret: preset.clientSecret,
    acoId: facts.acoId,
    enrollees: facts.enrollees,
    systemId: String(1000 + (fnv1a(preset.clientId) % 9000)),
    partiallyAdjudicated: facts.acoId.startsWith('SBXBR'),
  };
}

/**
 * An extra, larger ACO for benchmarks (`npm run bench` streams a 1 GB file): only when the sandbox process is
 * started with `BCDA_SANDBOX_BENCH_ENROLLEES` and `BCDA_SANDBOX_BENCH_SECRET`. Real BCDA has no such ACO, so it is
 * never a preset and never on by default.
 */
export function benchAccountFromEnv(env: Record<string, string | undefined> = process.env): BcdaAccount | undefined {
  const enrollees = Number(env.BCDA_SANDBOX_BENCH_ENROLLEES);
  const clientSecret = env.BCDA_SANDBOX_BENCH_SECRET;
  if (!Number.isInteger(enrollees) || enrollees < 1 || !clientSecret) return undefined;
  return {
    presetId: 'bench',
    clientId: BENCH_CLIENT_ID,
    clientSecret,
    acoId: 'SBXBZ999',
    enrollees,
    systemId: '9999',
    partiallyAdjudicated: false,
  };
}

export const BENCH_CLIENT_ID = 'bench-large-aco';

const benchAccount = benchAccountFromEnv();

/** Every credential set the built-in sandbox accepts: the provider file's sandbox presets (and the bench ACO). */
export const bcdaAccounts: readonly BcdaAccount[] = [
  ...bcda.presets.filter((preset) => preset.environments.includes('builtin')).map(toAccount),
  ...(benchAccount ? [benchAccount] : []),
];

/**
 * The account whose client id and secret both match, compared in constant time against every account so the
 * response time does not reveal which part was wrong.
 */
export const findAccountByCredentials: (clientId: string, clientSecret: string) => Promise<BcdaAccount | undefined> =
  createCredentialMatcher(bcdaAccounts);

/** The account for a CMS id, as carried in a token's `dat` claim. */
export function findAccountByAcoId(acoId: string): BcdaAccount | undefined {
  return bcdaAccounts.find((account) => account.acoId === acoId);
}
