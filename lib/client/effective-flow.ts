import { checkEnvironmentPath } from '@/lib/contract/environment-paths';
import type { GrantDto, ProviderDto } from '@/lib/contract/schemas';

export type ProviderEnvironment = ProviderDto['environments'][number];
export type ProviderPreset = ProviderDto['presets'][number];
export type DefaultRequestDto = ProviderDto['defaultRequests'][number];

/** The three URLs a flow uses. `authorizeUrl` is as the browser reaches it; the other two as the server does. */
export type FlowEndpoints = Pick<ProviderEnvironment, 'tokenUrl' | 'fhirBaseUrl' | 'authorizeUrl' | 'allowedPathPrefixes'>;

/** Where FHIR requests for a credential choice go: the environment, the preset (whose endpoints may differ), the URLs. */
export interface FlowTarget {
  environmentId: string;
  /** Absent for the user's own credentials. */
  presetId?: string;
  endpoints: FlowEndpoints;
}

/**
 * The grant a credential choice runs: the preset's own when it has one (1upHealth Patient Access is authorization
 * code under a client-credentials provider), else the provider's. Custom credentials (`presetId` undefined) and
 * unknown ids get the provider's.
 */
export function getEffectiveGrant(provider: ProviderDto, presetId: string | undefined): GrantDto {
  const preset = presetId === undefined ? undefined : provider.presets.find((p) => p.id === presetId);
  return preset?.grant ?? provider.grant;
}

/**
 * The endpoints of a credential choice in an environment: the preset's `endpoints[environmentId]` when it has
 * them (a flow on other paths or another host), else the environment's own.
 */
export function getEffectiveEndpoints(
  provider: ProviderDto,
  environment: ProviderEnvironment,
  presetId: string | undefined,
): FlowEndpoints & { overridden: boolean } {
  const preset = presetId === undefined ? undefined : provider.presets.find((p) => p.id === presetId);
  const override = preset?.endpoints[environment.id];
  if (!override) {
    return {
      tokenUrl: environment.tokenUrl,
      fhirBaseUrl: environment.fhirBaseUrl,
      authorizeUrl: environment.authorizeUrl,
      allowedPathPrefixes: environment.allowedPathPrefixes,
      overridden: false,
    };
  }
  return {
    tokenUrl: override.tokenUrl,
    fhirBaseUrl: override.fhirBaseUrl,
    authorizeUrl: override.authorizeUrl ?? environment.authorizeUrl,
    allowedPathPrefixes: override.allowedPathPrefixes,
    overridden: true,
  };
}

/** The FHIR target of a credential choice, ready for the proxy (`environmentId`, `presetId`) and for path maths. */
export function getFlowTarget(provider: ProviderDto, environment: ProviderEnvironment, presetId: string | undefined): FlowTarget {
  const { tokenUrl, fhirBaseUrl, authorizeUrl, allowedPathPrefixes } = getEffectiveEndpoints(provider, environment, presetId);
  const endpoints: FlowEndpoints = { tokenUrl, fhirBaseUrl, authorizeUrl, allowedPathPrefixes };
  return presetId === undefined
    ? { environmentId: environment.id, endpoints }
    : { environmentId: environment.id, presetId, endpoints };
}

/** An example request the selected credential set cannot send, and the credential set of this environment that can. */
export interface ExampleElsewhere {
  request: DefaultRequestDto;
  preset: { id: string; label: string } | undefined;
}

/**
 * The provider's examples split by whether the selected credential set can send them: the BFF sends a path only
 * under its environment's allowed prefixes (lib/contract/environment-paths.ts), and a preset's flow may live on
 * other paths (1upHealth Patient Access under /r4). For the others, the first credential set that can.
 */
export function examplesFor(
  provider: ProviderDto,
  environment: ProviderEnvironment,
  presetId: string | undefined,
): { usable: DefaultRequestDto[]; elsewhere: ExampleElsewhere[] } {
  const sendable = (path: string, id: string | undefined) => checkEnvironmentPath(path, getEffectiveEndpoints(provider, environment, id).allowedPathPrefixes).ok;
  const others = provider.presets.filter((preset) => preset.id !== presetId && preset.environments.includes(environment.id));
  const usable: DefaultRequestDto[] = [];
  const elsewhere: ExampleElsewhere[] = [];
  for (const request of provider.defaultRequests) {
    if (sendable(request.path, presetId)) usable.push(request);
    else {
      const preset = others.find((candidate) => sendable(request.path, candidate.id));
      elsewhere.push({ request, preset: preset && { id: preset.id, label: preset.label } });
    }
  }
  return { usable, elsewhere };
}
