import 'server-only';
import type { GrantDto, ProviderDto } from '@/lib/contract/schemas';
import { codeBindingOf } from './code-binding';
import { resolveEnvironment } from './resolve';
import type { GrantRecipe, Provider } from './schema';

function toGrantDto(grant: GrantRecipe, provider: Provider): GrantDto {
  return {
    documentedTokenLifetimeSeconds: grant.documentedTokenLifetimeSeconds ?? provider.documentedTokenLifetimeSeconds,
    grantType: grant.grantType,
    clientAuth: grant.clientAuth,
    httpMethod: grant.httpMethod,
    body: grant.body,
    bodyChoices: grant.bodyChoices,
    scopes: grant.scopes,
    codeBinding: codeBindingOf(grant),
    stateMinLength: grant.stateMinLength,
    refresh: grant.refresh,
    dpop: grant.dpop,
    pushAuthorizationRequests: grant.pushAuthorizationRequests,
  };
}

/**
 * What the browser may know of a provider: everything but the preset secrets.
 * @param publicOrigin the console's origin as the browser sees it, for authorize URLs and the redirect URI.
 */
export function toProviderDto(provider: Provider, builtinEnabled: boolean, publicOrigin: string, internalOrigin?: string): ProviderDto {
  const environments = provider.environments.filter((env) => builtinEnabled || env.kind !== 'builtin');
  const endpointsOf = (env: (typeof environments)[number], override = {}) => {
    const server = resolveEnvironment(provider, env, internalOrigin, override);
    const browser = resolveEnvironment(provider, env, publicOrigin, override);
    return {
      tokenUrl: server.tokenUrl.toString(),
      fhirBaseUrl: server.fhirBaseUrl.toString(),
      authorizeUrl: browser.authorizeUrl?.toString(),
      introspectionUrl: server.introspectionUrl?.toString(),
      allowedPathPrefixes: server.environment.allowedPathPrefixes,
      pushedAuthorizationUrl: server.pushedAuthorizationUrl?.toString(),
      requirePushedAuthorizationRequests: server.environment.requirePushedAuthorizationRequests,
      dpopSigningAlgs: server.environment.dpopSigningAlgs,
    };
  };
  return {
    id: provider.id,
    name: provider.name,
    summary: provider.summary,
    docs: provider.docs,
    environments: environments.map((env) => ({ id: env.id, kind: env.kind, label: env.label, note: env.note, ...endpointsOf(env) })),
    grant: toGrantDto(provider.grant, provider),
    redirectUri: `${publicOrigin}/api/oauth/${provider.id}/callback`,
    tokenReuse: provider.tokenReuse,
    presets: provider.presets.map((preset) => ({
      id: preset.id,
      label: preset.label,
      clientId: preset.clientId,
      environments: preset.environments,
      notes: preset.notes,
      facts: preset.facts,
      grant: preset.grant ? toGrantDto(preset.grant, provider) : undefined,
      endpoints: Object.fromEntries(
        environments
          .filter((env) => preset.environmentOverrides[env.id] !== undefined)
          .map((env) => [env.id, endpointsOf(env, preset.environmentOverrides[env.id])]),
      ),
      sandboxUsers: preset.sandboxUsers,
    })),
    apiKind: provider.apiKind,
    allowCustomCredentials: provider.allowCustomCredentials,
    defaultRequests: provider.defaultRequests,
    bulkExport: provider.bulkExport,
    knownDeviations: provider.knownDeviations,
    claimGlossary: provider.claimGlossary,
    diagnosticNotes: provider.diagnosticNotes,
  };
}
