import 'server-only';
import type { TokenRequest } from '@/lib/contract/schemas';
import { HttpError } from '@/lib/http/errors';
import { requireEnvironment } from '@/lib/providers/lookup';
import { builtinOrigin, resolveEnvironment, type ResolvedEnvironment } from '@/lib/providers/resolve';
import type { GrantRecipe, Provider } from '@/lib/providers/schema';
import type { StoredClientKey } from '@/lib/smart/client-keys';

/** One credential set on one environment: where to send it, how, and with what. */
export interface ResolvedFlow {
  provider: Provider;
  /** Endpoints as the server reaches them (the built-in sandbox over loopback). */
  env: ResolvedEnvironment;
  grant: GrantRecipe;
  credential: {
    kind: 'preset' | 'custom';
    presetId?: string;
    label: string;
    clientId: string;
    clientSecret: string;
    /** private_key_jwt: the key that signs a fresh client assertion for each token request. */
    clientKey?: StoredClientKey;
  };
}

/**
 * Resolves the credential set a request names on an environment: the preset (or the user's own credentials),
 * its grant (a preset may use another grant than the provider's default) and its endpoints.
 */
export function resolveFlow(
  provider: Provider,
  environmentId: string,
  credential: TokenRequest['credential'],
  internalOrigin: string = builtinOrigin(),
): ResolvedFlow {
  const base = requireEnvironment(provider, environmentId);
  if (credential.kind === 'custom') {
    if (!provider.allowCustomCredentials) {
      throw new HttpError(400, 'bad_request', `${provider.name} takes only its preset credentials here.`);
    }
    return {
      provider,
      env: resolveEnvironment(provider, base.environment, internalOrigin),
      grant: provider.grant,
      credential: { kind: 'custom', label: 'Your own credentials', clientId: credential.clientId.trim(), clientSecret: credential.clientSecret },
    };
  }
  const preset = provider.presets.find((p) => p.id === credential.presetId);
  if (!preset) {
    throw new HttpError(404, 'not_found', `${provider.name} has no credential set "${credential.presetId}".`);
  }
  if (!preset.environments.includes(base.environment.id)) {
    throw new HttpError(400, 'preset_not_for_environment', `"${preset.label}" is a sandbox credential set; it does not work in ${base.environment.label}.`, {
      hint: 'Pick an environment the credential set belongs to, or use your own credentials for this one.',
    });
  }
  return {
    provider,
    env: resolveEnvironment(provider, base.environment, internalOrigin, preset.environmentOverrides[base.environment.id]),
    grant: preset.grant ?? provider.grant,
    credential: { kind: 'preset', presetId: preset.id, label: preset.label, clientId: preset.clientId, clientSecret: preset.clientSecret },
  };
}
