import 'server-only';
import { HttpError } from '@/lib/http/errors';
import type { ResolvedFlow } from '@/lib/oauth/flow';
import { getProvider, providers } from '@/lib/providers';
import type { Provider } from '@/lib/providers/schema';
import type { SessionVault } from '@/lib/session/vault';
import type { StoredClientKey } from './client-keys';
import { customProviderToProvider, type CustomProviderRecord } from './custom-provider';
import { readWorkspace } from './workspace';

/** A provider the console can run: one of its own files, or one the user added, with the key its client signs with. */
export interface ProviderEntry {
  provider: Provider;
  record?: CustomProviderRecord;
  clientKey?: StoredClientKey;
}

export const isCustomProviderId = (id: string) => id.startsWith('custom-');

/** The console's providers and the user's own, in the order the picker shows them. */
export async function loadCatalogue(vault: SessionVault, owner: string): Promise<ProviderEntry[]> {
  const workspace = await readWorkspace(vault, owner);
  return [...providers.map((provider) => ({ provider })), ...workspace.providers.flatMap((record) => entryOf(record, workspace.keys))];
}

/** The provider a route names; 404 when neither the console nor this user has it. */
export async function requireProviderEntry(vault: SessionVault, owner: string, providerId: string): Promise<ProviderEntry> {
  if (!isCustomProviderId(providerId)) {
    const provider = getProvider(providerId);
    if (provider) return { provider };
  } else {
    const workspace = await readWorkspace(vault, owner);
    const record = workspace.providers.find((p) => p.id === providerId);
    const [entry] = record ? entryOf(record, workspace.keys) : [];
    if (entry) return entry;
  }
  throw new HttpError(404, 'not_found', `Unknown provider "${providerId}".`, {
    hint: isCustomProviderId(providerId) ? 'Providers you add are kept per user; it may have been deleted, or added while signed in as someone else.' : undefined,
  });
}

/** A flow of the entry's provider, carrying the signing key when its client authenticates with private_key_jwt. */
export function withClientKey(flow: ResolvedFlow, entry: ProviderEntry): ResolvedFlow {
  if (flow.grant.clientAuth !== 'private_key_jwt') return flow;
  return { ...flow, credential: { ...flow.credential, clientKey: entry.clientKey } };
}

function entryOf(record: CustomProviderRecord, keys: readonly StoredClientKey[]): ProviderEntry[] {
  try {
    return [{ provider: customProviderToProvider(record), record, clientKey: keys.find((k) => k.kid === record.keyKid) }];
  } catch {
    // A record whose endpoints no longer parse is left out rather than breaking every page.
    return [];
  }
}
