import { z } from 'zod';
import { candid } from '@/lib/providers/candid';

/** One API key the emulator accepts, derived from a built-in preset in the Candid provider file. */
export interface CandidAccount {
  presetId: string;
  clientId: string;
  clientSecret: string;
  organizationId: string;
  organizationName: string;
  /** Number of synthetic encounters the organisation has. */
  encounters: number;
  /** A read-only key may read but gets 403 `UnauthorizedError` on writes. */
  readOnly: boolean;
  /** Auth0 RBAC-style `permissions` claim of the key's tokens. */
  permissions: string[];
}

const presetFactsSchema = z.object({
  organizationName: z.string().min(1),
  organizationId: z.uuid(),
  encounters: z.number().int().positive(),
  access: z.enum(['read-write', 'read-only']),
});

function toAccount(preset: (typeof candid.presets)[number]): CandidAccount {
  const facts = presetFactsSchema.parse(preset.facts);
  const readOnly = facts.access === 'read-only';
  return {
    presetId: preset.id,
    clientId: preset.clientId,
    clientSecret: preset.clientSecret,
    organizationId: facts.organizationId,
    organizationName: facts.organizationName,
    encounters: facts.encounters,
    readOnly,
    permissions: readOnly ? ['read:encounters', 'read:payers'] : ['read:encounters', 'write:encounters', 'read:payers'],
  };
}

/** Every API key the built-in sandbox accepts: the provider file's presets for the `builtin` environment. */
export const candidAccounts: readonly CandidAccount[] = candid.presets
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

let accountDigests: Promise<Array<{ account: CandidAccount; id: Uint8Array; secret: Uint8Array }>> | undefined;

function getAccountDigests() {
  accountDigests ??= Promise.all(
    candidAccounts.map(async (account) => ({
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
export async function findAccountByCredentials(clientId: string, clientSecret: string): Promise<CandidAccount | undefined> {
  const givenId = await sha256(clientId);
  const givenSecret = await sha256(clientSecret);
  let found: CandidAccount | undefined;
  for (const candidate of await getAccountDigests()) {
    const idMatches = digestsEqual(givenId, candidate.id);
    const secretMatches = digestsEqual(givenSecret, candidate.secret);
    if (idMatches && secretMatches) found = candidate.account;
  }
  return found;
}

/** The account for a client id, as carried in a token's `azp` claim. */
export function findAccountByClientId(clientId: string): CandidAccount | undefined {
  return candidAccounts.find((account) => account.clientId === clientId);
}
