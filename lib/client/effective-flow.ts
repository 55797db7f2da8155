import type { GrantDto, ProviderDto } from '@/lib/contract/schemas';

export type ProviderEnvironment = ProviderDto['environments'][number];
export type ProviderPreset = ProviderDto['presets'][number];

/** The three URLs a flow uses. `authorizeUrl` is as the browser reaches it; the other two as the server does. */
export type FlowEndpoints = Pick<ProviderEnvironment, 'tokenUrl' | 'fhirBaseUrl' | 'authorizeUrl'>;

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
      overridden: false,
    };
  }
  return {
    tokenUrl: override.tokenUrl,
    fhirBaseUrl: override.fhirBaseUrl,
    authorizeUrl: override.authorizeUrl ?? environment.authorizeUrl,
    overridden: true,
  };
}

/** The FHIR target of a credential choice, ready for the proxy (`environmentId`, `presetId`) and for path maths. */
export function getFlowTarget(provider: ProviderDto, environment: ProviderEnvironment, presetId: string | undefined): FlowTarget {
  const { tokenUrl, fhirBaseUrl, authorizeUrl } = getEffectiveEndpoints(provider, environment, presetId);
  const endpoints: FlowEndpoints = { tokenUrl, fhirBaseUrl, authorizeUrl };
  return presetId === undefined
    ? { environmentId: environment.id, endpoints }
    : { environmentId: environment.id, presetId, endpoints };
}
