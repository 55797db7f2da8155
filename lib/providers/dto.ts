import type { ProviderDto } from '@/lib/api-client/schemas';
import { resolveEnvironment } from './resolve';
import type { Provider } from './schema';

/** What the browser may know of a provider: everything but the preset secrets. */
export function toProviderDto(provider: Provider, builtinEnabled: boolean, internalOrigin?: string): ProviderDto {
  return {
    id: provider.id,
    name: provider.name,
    summary: provider.summary,
    docs: provider.docs,
    environments: provider.environments
      .filter((env) => builtinEnabled || env.kind !== 'builtin')
      .map((env) => {
        const resolved = resolveEnvironment(provider, env, internalOrigin);
        return {
          id: env.id,
          kind: env.kind,
          label: env.label,
          tokenUrl: resolved.tokenUrl.toString(),
          fhirBaseUrl: resolved.fhirBaseUrl.toString(),
          note: env.note,
        };
      }),
    grant: {
      grantType: provider.grant.grantType,
      clientAuth: provider.grant.clientAuth,
      httpMethod: provider.grant.httpMethod,
      body: provider.grant.body,
      scopes: provider.grant.scopes,
    },
    documentedTokenLifetimeSeconds: provider.documentedTokenLifetimeSeconds,
    tokenReuse: provider.tokenReuse,
    presets: provider.presets.map((preset) => ({
      id: preset.id,
      label: preset.label,
      clientId: preset.clientId,
      environments: preset.environments,
      notes: preset.notes,
      facts: preset.facts,
    })),
    allowCustomCredentials: provider.allowCustomCredentials,
    defaultRequests: provider.defaultRequests,
    knownDeviations: provider.knownDeviations,
  };
}
