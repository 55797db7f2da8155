import 'server-only';
import { resolveFlow } from '@/lib/oauth/flow';
import { requireEnvironment } from '@/lib/providers/lookup';
import type { ResolvedEnvironment } from '@/lib/providers/resolve';
import type { Provider } from '@/lib/providers/schema';
import type { StoredToken } from '@/lib/session/vault';

/**
 * Where a FHIR request goes and with which token: the named environment (else the token's, else the provider's
 * first), on the endpoints of the token's own flow (a preset may live on other paths or another host than its
 * environment's default). The token is attached only when it belongs to that environment and credential set.
 */
export function resolveFhirTarget(
  provider: Provider,
  token: StoredToken | null,
  requested: { environmentId?: string; presetId?: string },
): { env: ResolvedEnvironment; token: StoredToken | null } {
  const environmentId = requested.environmentId ?? token?.environmentId ?? provider.environments[0]?.id ?? '';
  const tokenFits =
    token !== null &&
    token.environmentId === environmentId &&
    (requested.presetId === undefined || requested.presetId === token.credential.presetId);
  const presetId = tokenFits ? token.credential.presetId : requested.presetId;
  const env = presetId
    ? resolveFlow(provider, environmentId, { kind: 'preset', presetId }).env
    : requireEnvironment(provider, environmentId);
  return { env, token: tokenFits ? token : null };
}
