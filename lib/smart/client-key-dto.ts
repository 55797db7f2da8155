import 'server-only';
import type { ClientKeyDto } from '@/lib/contract/smart';
import { publicClientJwk, type StoredClientKey } from './client-keys';
import type { CustomProviderRecord } from './custom-provider';

/** What the page may know of a key: its public half, and which saved providers sign with it. */
export function toClientKeyDto(key: StoredClientKey, providers: readonly CustomProviderRecord[]): ClientKeyDto {
  return {
    kid: key.kid,
    alg: key.alg,
    createdAt: key.createdAt,
    source: key.source,
    publicJwk: { ...publicClientJwk(key) },
    usedBy: providers.filter((p) => p.keyKid === key.kid).map((p) => ({ id: p.id, name: p.name })),
  };
}
