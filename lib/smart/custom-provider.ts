import 'server-only';
import { z } from 'zod';
import { customProviderDtoSchema, type CustomProviderDto, type DiscoveredServerDto, type IntendedConfiguration } from '@/lib/contract/smart';
import { providerSchema, type Provider } from '@/lib/providers/schema';
import { credentialBindingOf, credentialBindingSchema, type CredentialBinding } from './credential-binding';

/**
 * A provider the user added by discovery (issue #8), as saved in their workspace, and the provider file it stands
 * for: the discovered endpoints become one environment (`discovered`), the user's client one preset (`saved`), so
 * every flow of the console (token, authorize, refresh, FHIR, timeline) runs it unchanged.
 */

export const CUSTOM_ENVIRONMENT_ID = 'discovered';
export const CUSTOM_PRESET_ID = 'saved';

/**
 * The saved record is the contract's DTO with the secret in place of `hasClientSecret`, the server the secret belongs
 * to, and no `redirectUri` (derived per request): one definition of every field the page also sees.
 */
export const customProviderRecordSchema = customProviderDtoSchema.omit({ hasClientSecret: true, redirectUri: true }).extend({
  /** Server-side only; '' for private_key_jwt and public clients. */
  clientSecret: z.string(),
  /**
   * The server the secret (or the key's use) was saved for (SECURITY.md rule 15). Absent on records saved before
   * the rule: those are bound to their endpoints as they stand.
   */
  credentialBinding: credentialBindingSchema.optional(),
});
export type CustomProviderRecord = z.infer<typeof customProviderRecordSchema>;

/**
 * The server a record's secret or key belongs to. `discoveryUrl` is the record's, as the console calls it (a
 * built-in sandbox's on the loopback origin); for a record saved before rule 15, its endpoints as they stand.
 */
export function savedCredentialBinding(record: CustomProviderRecord, discoveryUrl: string = record.discoveryUrl): CredentialBinding {
  return (
    record.credentialBinding ??
    credentialBindingOf({ discoveryUrl, tokenEndpoint: record.server.token_endpoint ?? '', fhirBaseUrl: record.fhirBaseUrl })
  );
}

const recipeClientAuth = {
  client_secret_basic: 'basic',
  client_secret_post: 'form',
  private_key_jwt: 'private_key_jwt',
  none: 'none',
} as const;

/** The provider file a saved custom provider stands for. Throws when the saved endpoints are unusable. */
export function customProviderToProvider(record: CustomProviderRecord): Provider {
  const { server, config } = record;
  if (!server.token_endpoint) throw new TypeError(`${record.name} has no token endpoint`);
  const token = new URL(server.token_endpoint);
  const fhir = new URL(record.fhirBaseUrl);
  const fhirBasePath = fhir.pathname.replace(/\/+$/, '') || '/';
  const authorize = server.authorization_endpoint ? new URL(server.authorization_endpoint) : undefined;
  const introspection = server.introspection_endpoint ? new URL(server.introspection_endpoint) : undefined;
  const refreshable =
    config.grant === 'authorization_code' &&
    (config.scopes.includes('offline_access') || config.scopes.includes('online_access') || (server.grant_types_supported ?? []).includes('refresh_token'));
  const smart = (server.sources.token_endpoint ?? []).includes('smart-configuration') || server.capabilities !== undefined;

  return providerSchema.parse({
    id: record.id,
    name: record.name,
    smartAppLaunch: smart,
    summary: `Added by discovery from ${record.discoveryUrl}. ${describeServer(server)}`,
    docs: [],
    environments: [
      {
        id: CUSTOM_ENVIRONMENT_ID,
        kind: record.environmentKind,
        label: record.environmentKind === 'builtin' ? `Built-in (${token.host})` : token.host,
        origin: token.origin,
        apiOrigin: fhir.origin,
        tokenPath: token.pathname + token.search,
        fhirBasePath,
        authorizeUrl: authorize?.toString(),
        jwksUrl: server.jwks_uri,
        introspectionPath: introspection && introspection.origin === token.origin ? introspection.pathname : undefined,
        issuer: server.issuer,
        pushedAuthorizationUrl: server.pushed_authorization_request_endpoint,
        requirePushedAuthorizationRequests: server.require_pushed_authorization_requests === true,
        dpopSigningAlgs: server.dpop_signing_alg_values_supported,
        userSupplied: record.environmentKind !== 'builtin',
        allowedPathPrefixes: [fhirBasePath],
        note: `Discovered from ${record.discoveryUrl}.`,
      },
    ],
    grant: {
      grantType: config.grant,
      clientAuth: recipeClientAuth[config.clientAuth],
      httpMethod: 'POST',
      body: 'form',
      extraParams: config.grant === 'client_credentials' ? { grant_type: 'client_credentials' } : {},
      scopes: config.scopes,
      headers: { Accept: 'application/json' },
      pkce:
        config.grant === 'authorization_code' && config.pkce !== 'S256'
          ? {
              serverRefusesPkce: true,
              reason: 'PKCE is set to “none” in this provider’s configuration, so the console sends no code_challenge to it.',
              codeBinding: config.scopes.includes('openid') ? 'oidc_nonce' : 'none',
            }
          : 'S256',
      smartAudience: config.grant === 'authorization_code' && smart,
      // OpenID Connect Core §11: offline access is asked with prompt=consent, or the server drops offline_access.
      authorizeParams: config.scopes.includes('openid') && config.scopes.includes('offline_access') ? { prompt: 'consent' } : {},
      refresh: { supported: refreshable, rotates: false },
      dpop: config.dpop === true,
      pushAuthorizationRequests: config.par !== 'never',
    },
    documentedTokenLifetimeSeconds: config.grant === 'client_credentials' ? 300 : 3600,
    tokenFormat: 'jwt',
    tokenReuse: { reuseLiveToken: false, reason: '' },
    presets: [
      {
        id: CUSTOM_PRESET_ID,
        label: `${record.name} client`,
        clientId: record.clientId,
        clientSecret: record.clientSecret,
        environments: [CUSTOM_ENVIRONMENT_ID],
        notes: clientNote(record),
      },
    ],
    allowCustomCredentials: false,
    defaultRequests: defaultRequestsFor(record.config, fhirBasePath),
    knownDeviations: [],
  });
}

/** What the browser may know of a saved custom provider: everything but the secret (and the server-side binding). */
export function toCustomProviderDto(record: CustomProviderRecord, redirectUri: string): CustomProviderDto {
  const { clientSecret, ...rest } = record;
  const dto = { ...rest, hasClientSecret: clientSecret.length > 0, redirectUri };
  delete dto.credentialBinding;
  return dto;
}

function clientNote(record: CustomProviderRecord): string {
  const auth = {
    client_secret_basic: 'client secret in HTTP Basic',
    client_secret_post: 'client secret in the form body',
    private_key_jwt: `a signed client assertion (key ${record.keyKid ? `${record.keyKid.slice(0, 12)}…` : 'not chosen'})`,
    none: 'no client authentication (public client)',
  }[record.config.clientAuth];
  return `Saved in your workspace; authenticates with ${auth}.`;
}

function describeServer(server: DiscoveredServerDto): string {
  const versions = server.smart_versions.length > 0 ? `SMART ${server.smart_versions.join(' and ')} scopes` : 'no SMART configuration';
  const grants = server.grant_types_supported?.join(', ') ?? 'grants not listed';
  return `${versions}; ${grants}.`;
}

function defaultRequestsFor(config: IntendedConfiguration, fhirBasePath: string) {
  const base = fhirBasePath === '/' ? '' : fhirBasePath;
  const requests = [
    { id: 'metadata', label: 'CapabilityStatement', group: 'discovery', method: 'GET', path: `${base}/metadata`, description: 'What the FHIR server supports (no token needed on most servers).' },
    { id: 'smart-configuration', label: 'SMART configuration', group: 'discovery', method: 'GET', path: `${base}/.well-known/smart-configuration`, description: 'The SMART discovery document, as read when the provider was added.' },
    { id: 'patients', label: 'Search Patients', group: 'data', method: 'GET', path: `${base}/Patient?_count=10`, description: 'The patients the token may see.' },
  ];
  if (config.grant === 'client_credentials') {
    requests.push({ id: 'groups', label: 'Search Groups', group: 'data', method: 'GET', path: `${base}/Group?_count=10`, description: 'Groups a backend client may export (Bulk Data kicks off at Group/[id]/$export).' });
  } else {
    requests.push({ id: 'observations', label: 'Search Observations', group: 'data', method: 'GET', path: `${base}/Observation?_count=10`, description: 'Observations in the token’s scope.' });
  }
  return requests;
}
