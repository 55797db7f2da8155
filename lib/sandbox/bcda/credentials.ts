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

/** Every credential set the built-in sandbox accepts: the provider file's sandbox presets. */
export const bcdaAccounts: readonly BcdaAccount[] = bcda.presets
  .filter((preset) => preset.environments.includes('builtin'))
  .map(toAccount);

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
