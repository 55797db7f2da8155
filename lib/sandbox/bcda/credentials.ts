import { z } from 'zod';
import { bcda } from '@/lib/providers/bcda';
import { fnv1a } from './hash';

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

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

// Comparing fixed-length digests with no early exit keeps the timing independent of where inputs differ.
function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

let accountDigests: Promise<Array<{ account: BcdaAccount; id: Uint8Array; secret: Uint8Array }>> | undefined;

function getAccountDigests() {
  accountDigests ??= Promise.all(
    bcdaAccounts.map(async (account) => ({
      account,
      id: await sha256(account.clientId),
      secret: await sha256(account.clientSecret),
    })),
  );
  return accountDigests;
}

/**
 * The account whose client id and secret both match, compared in constant time against every account so the
 * response time does not reveal which part was wrong.
 */
export async function findAccountByCredentials(clientId: string, clientSecret: string): Promise<BcdaAccount | undefined> {
  const givenId = await sha256(clientId);
  const givenSecret = await sha256(clientSecret);
  let found: BcdaAccount | undefined;
  for (const candidate of await getAccountDigests()) {
    const idMatches = digestsEqual(givenId, candidate.id);
    const secretMatches = digestsEqual(givenSecret, candidate.secret);
    if (idMatches && secretMatches) found = candidate.account;
  }
  return found;
}

/** The account for a CMS id, as carried in a token's `dat` claim. */
export function findAccountByAcoId(acoId: string): BcdaAccount | undefined {
  return bcdaAccounts.find((account) => account.acoId === acoId);
}
