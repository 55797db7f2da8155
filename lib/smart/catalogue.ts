import 'server-only';
import { HttpError } from '@/lib/http/errors';
import type { ResolvedFlow } from '@/lib/oauth/flow';
import { getProvider, providers } from '@/lib/providers';
import { resolveEnvironment, type ResolvedEnvironment } from '@/lib/providers/resolve';
import type { Provider } from '@/lib/providers/schema';
import type { SessionVault } from '@/lib/session/vault';
import type { StoredClientKey } from './client-keys';
import { bindingRoleNames, type BindingRole } from './credential-binding';
import { customProviderToProvider, savedCredentialBinding, type CustomProviderRecord } from './custom-provider';
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
    if (entry && record) {
      // Every route, FHIR and downloads included: a token got with the credential goes only to the same server.
      const usesKey = record.config.clientAuth === 'private_key_jwt';
      const environment = entry.provider.environments[0];
      if (environment && (usesKey || record.clientSecret !== '')) assertOnSavedServer(resolveEnvironment(entry.provider, environment), record, usesKey);
      return entry;
    }
  }
  throw new HttpError(404, 'not_found', `Unknown provider "${providerId}".`, {
    hint: isCustomProviderId(providerId) ? 'Providers you add are kept per user; it may have been deleted, or added while signed in as someone else.' : undefined,
  });
}

/**
 * A flow of the entry's provider, carrying the signing key when its client authenticates with private_key_jwt. A
 * saved provider's secret or key goes only to the server it was saved for (SECURITY.md rule 15): a flow whose token,
 * introspection or FHIR origin is not that server's is refused here, before any request is made.
 */
export function withClientKey(flow: ResolvedFlow, entry: ProviderEntry): ResolvedFlow {
  const usesKey = flow.grant.clientAuth === 'private_key_jwt';
  if (entry.record && (usesKey || flow.credential.clientSecret !== '')) assertOnSavedServer(flow.env, entry.record, usesKey);
  if (!usesKey) return flow;
  return { ...flow, credential: { ...flow.credential, clientKey: entry.clientKey } };
}

/** Refuses endpoints off the server a saved provider's credential belongs to: a record altered after it was saved. */
function assertOnSavedServer(env: ResolvedEnvironment, record: CustomProviderRecord, usesKey: boolean): void {
  const binding = savedCredentialBinding(record);
  const reached: { role: BindingRole; origin: string }[] = [
    { role: 'token', origin: env.tokenUrl.origin },
    ...(env.introspectionUrl ? [{ role: 'token' as const, origin: env.introspectionUrl.origin }] : []),
    { role: 'fhir', origin: env.apiOrigin },
  ];
  const stray = reached.find(({ role, origin }) => origin !== binding[role]);
  if (!stray) return;
  throw new HttpError(
    409,
    'conflict',
    `The saved ${usesKey ? 'signing key' : 'client secret'} of ${record.name} belongs to ${binding[stray.role]}, but its ${bindingRoleNames[stray.role]} is now on ${stray.origin}; nothing was sent there.`,
    { hint: `Edit the provider and ${usesKey ? 'confirm the key for this server' : 'enter the client secret again'} if ${stray.origin} is the right server.` },
  );
}

function entryOf(record: CustomProviderRecord, keys: readonly StoredClientKey[]): ProviderEntry[] {
  try {
    return [{ provider: customProviderToProvider(record), record, clientKey: keys.find((k) => k.kid === record.keyKid) }];
  } catch {
    // A record whose endpoints no longer parse is left out rather than breaking every page.
    return [];
  }
}
