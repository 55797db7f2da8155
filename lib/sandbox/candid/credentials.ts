import 'server-only';
import { z } from 'zod';
import { createCredentialMatcher } from '../shared/credentials';
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

/**
 * The account whose client id and secret both match, compared in constant time against every account so the
 * response time does not reveal which part was wrong.
 */
export const findAccountByCredentials: (clientId: string, clientSecret: string) => Promise<CandidAccount | undefined> =
  createCredentialMatcher(candidAccounts);

/** The account for a client id, as carried in a token's `azp` claim. */
export function findAccountByClientId(clientId: string): CandidAccount | undefined {
  return candidAccounts.find((account) => account.clientId === clientId);
}
