import 'server-only';
import type { TokenDto } from '@/lib/contract/schemas';
import { HttpError } from '@/lib/http/errors';
import { getProvider, grantOf } from '@/lib/providers';
import type { SessionVault, StoredToken } from '@/lib/session/vault';
import { withClientKey, type ProviderEntry } from '@/lib/smart/catalogue';
import { resolveFlow, type ResolvedFlow } from './flow';
import { toTokenDto } from './token-dto';

/** The DTO of a stored token, knowing whether its provider rotates refresh tokens. */
export function describeStoredToken(token: StoredToken, reuse?: { reason: string }): TokenDto {
  const provider = getProvider(token.providerId);
  // A provider added by URL says nothing about rotation: what its refreshes did is the answer.
  const observed = token.refreshHistory.some((entry) => entry.newFingerprint !== null);
  const rotates = (provider ? grantOf(provider, token.credential.presetId).refresh.rotates : false) || observed;
  return toTokenDto(token, reuse, rotates);
}

/** The flow a stored token (or pending run) came from, to refresh or finish it with the same client. */
export function flowOfCredential(
  entry: ProviderEntry,
  environmentId: string,
  credential: { kind: 'preset' | 'custom'; presetId?: string; clientId: string; clientSecret?: string },
): ResolvedFlow {
  const { provider } = entry;
  if (credential.kind === 'preset') {
    return withClientKey(resolveFlow(provider, environmentId, { kind: 'preset', presetId: credential.presetId ?? '' }), entry);
  }
  if (!credential.clientSecret) {
    throw new HttpError(409, 'reauth_required', 'The client secret for these credentials is no longer held.', { hint: 'Run the flow again with your credentials.' });
  }
  return resolveFlow(provider, environmentId, { kind: 'custom', clientId: credential.clientId, clientSecret: credential.clientSecret });
}

/** The session's token for a provider and the flow it came from, for an action on it (refresh, introspect). */
export async function requireSessionToken(
  vault: SessionVault,
  sid: string,
  entry: ProviderEntry,
  action: string,
): Promise<{ stored: StoredToken; flow: ResolvedFlow }> {
  const { provider } = entry;
  const stored = await vault.getToken(sid, provider.id);
  if (!stored) throw new HttpError(404, 'no_token', `There is no ${provider.name} token in this session to ${action}.`);
  return { stored, flow: flowOfCredential(entry, stored.environmentId, stored.credential) };
}
