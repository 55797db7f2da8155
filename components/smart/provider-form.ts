import type { ClientKeyDto, CustomProviderDto, CustomProviderInput, DiscoveredServerDto } from '@/lib/contract/smart';
import type { IntendedConfiguration } from '@/lib/contract/smart';
import { classifyScope } from '@/lib/contract/smart';
import type { ConfigFinding, ServerFacts } from '@/lib/smart/config-checks';
import { bindingChanges, credentialBindingOf, type BindingChange, type CredentialBinding } from '@/lib/smart/credential-binding';

/**
 * The pure half of the "Add a SMART / OAuth provider" form: defaults chosen from discovered metadata, and the
 * mapping from form state to the saved input and to the configuration the live checks read. No secret is ever
 * part of the state here: the client secret stays in an uncontrolled password input until the save request.
 */

export type Grant = IntendedConfiguration['grant'];
export type ClientAuth = IntendedConfiguration['clientAuth'];
export type KeyAlg = ClientKeyDto['alg'];

export interface ProviderFormState {
  name: string;
  environmentKind: 'sandbox' | 'production';
  grant: Grant;
  clientAuth: ClientAuth;
  pkce: 'S256' | 'none';
  launch: IntendedConfiguration['launch'];
  /** As typed: scopes separated by spaces or new lines. */
  scopes: string;
  clientId: string;
  /** private_key_jwt: the kid of the console key that signs; '' for none. */
  keyKid: string;
  /** Where FHIR requests go; '' means the discovery URL. */
  fhirBaseUrl: string;
  /** RFC 9449 sender-constrained tokens. */
  dpop: boolean;
  /** RFC 9126: push the authorization request when the server offers it. */
  par: NonNullable<IntendedConfiguration['par']>;
}

export const CLIENT_AUTH_METHODS: readonly ClientAuth[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];

/** The path of the built-in standards SMART server on this console's origin. */
export function builtinSmartSandboxUrl(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/sandbox/smart/fhir`;
}

/** The redirect URI a saved provider will get, for checking before the id exists: same origin, same shape. */
export function provisionalRedirectUri(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/api/oauth/custom-xxxxxxxxxx/callback`;
}

/**
 * A readable default name: the host without `www.` (and the port when there is one); on one of this console's
 * built-in sandboxes, which the picker already lists by the provider's name, a name that says this is the user's own
 * client there.
 */
export function defaultProviderName(url: string): string {
  try {
    const { host, pathname } = new URL(url.trim());
    const builtin = /^\/sandbox\/([a-z0-9-]+)(\/|$)/.exec(pathname)?.[1];
    if (builtin) return `Your client at the built-in ${builtin} sandbox`;
    return host.replace(/^www\./, '') || 'Custom provider';
  } catch {
    return 'Custom provider';
  }
}

/** Backend Services when the server runs only client_credentials; otherwise SMART App Launch. */
export function chooseGrant(server: DiscoveredServerDto): Grant {
  const grants = server.grant_types_supported;
  if (grants && !grants.includes('authorization_code') && grants.includes('client_credentials')) return 'client_credentials';
  return 'authorization_code';
}

/**
 * The client authentication to start from. Backend Services: private_key_jwt (SMART's only profile for it) unless
 * the server lists methods without it and a secret method instead. App launch: the first of basic, post,
 * private_key_jwt the server lists; without a list RFC 8414 §2 promises only client_secret_basic.
 */
export function chooseClientAuth(server: Pick<DiscoveredServerDto, 'token_endpoint_auth_methods_supported'>, grant: Grant): ClientAuth {
  const listed = server.token_endpoint_auth_methods_supported;
  if (grant === 'client_credentials') {
    if (!listed || listed.includes('private_key_jwt')) return 'private_key_jwt';
    return (['client_secret_basic', 'client_secret_post'] as const).find((m) => listed.includes(m)) ?? 'private_key_jwt';
  }
  if (!listed) return 'client_secret_basic';
  return (['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const).find((m) => listed.includes(m)) ?? 'client_secret_basic';
}

/** True when the server advertises SMART v1 permissions only (`permission-v1` without `permission-v2`). */
export function prefersV1Scopes(server: Pick<DiscoveredServerDto, 'smart_versions'>): boolean {
  return server.smart_versions.includes('v1') && !server.smart_versions.includes('v2');
}

/**
 * Scopes to start from. Backend: `system/*.rs`. App: `openid fhirUser launch/patient offline_access patient/*.rs`,
 * leaving out what the server's capabilities say it will not honour. v1 syntax when the server only knows v1.
 */
export function defaultScopes(server: Pick<DiscoveredServerDto, 'smart_versions' | 'capabilities'>, grant: Grant): string[] {
  const v1 = prefersV1Scopes(server);
  const read = v1 ? 'read' : 'rs';
  if (grant === 'client_credentials') return [`system/*.${read}`];
  const caps = server.capabilities;
  const lacks = (cap: string) => caps !== undefined && !caps.includes(cap);
  return [
    ...(lacks('sso-openid-connect') ? [] : ['openid', 'fhirUser']),
    ...(lacks('context-standalone-patient') ? [] : ['launch/patient']),
    ...(lacks('permission-offline') ? [] : ['offline_access']),
    `patient/*.${read}`,
  ];
}

/** Splits typed scopes on whitespace, dropping duplicates and empties, keeping the order. */
export function parseScopes(text: string): string[] {
  return [...new Set(text.split(/\s+/).filter((s) => s !== ''))];
}

/** The key to sign with: the newest one whose alg the server accepts, else the newest one. */
export function chooseKey(keys: readonly ClientKeyDto[], server: Pick<DiscoveredServerDto, 'token_endpoint_auth_signing_alg_values_supported'>): string {
  const newest = [...keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const accepted = server.token_endpoint_auth_signing_alg_values_supported;
  return (newest.find((k) => !accepted || accepted.includes(k.alg)) ?? newest[0])?.kid ?? '';
}

export function initialFormState(discoveryUrl: string, server: DiscoveredServerDto, keys: readonly ClientKeyDto[]): ProviderFormState {
  const grant = chooseGrant(server);
  return {
    name: defaultProviderName(discoveryUrl),
    environmentKind: 'sandbox',
    grant,
    clientAuth: chooseClientAuth(server, grant),
    pkce: grant === 'authorization_code' ? 'S256' : 'none',
    launch: 'standalone',
    scopes: defaultScopes(server, grant).join(' '),
    clientId: '',
    keyKid: chooseKey(keys, server),
    fhirBaseUrl: '',
    // A server that takes DPoP proofs gets them: its tokens are then bound to a key no one else holds.
    dpop: (server.dpop_signing_alg_values_supported ?? []).length > 0,
    par: 'when_offered',
  };
}

export function formFromSaved(provider: CustomProviderDto): ProviderFormState {
  return {
    name: provider.name,
    environmentKind: provider.environmentKind === 'production' ? 'production' : 'sandbox',
    grant: provider.config.grant,
    clientAuth: provider.config.clientAuth,
    pkce: provider.config.pkce === 'none' ? 'none' : 'S256',
    launch: provider.config.launch,
    scopes: provider.config.scopes.join(' '),
    clientId: provider.clientId,
    keyKid: provider.keyKid ?? '',
    fhirBaseUrl: provider.fhirBaseUrl === provider.discoveryUrl ? '' : provider.fhirBaseUrl,
    dpop: provider.config.dpop === true,
    par: provider.config.par ?? 'when_offered',
  };
}

/**
 * Switching the grant moves client auth and PKCE to that grant's defaults, and the scopes too when they are still
 * the previous grant's defaults (what the user typed is kept).
 */
export function changeGrant(state: ProviderFormState, grant: Grant, server: DiscoveredServerDto): ProviderFormState {
  if (grant === state.grant) return state;
  const untouched = parseScopes(state.scopes).join(' ') === defaultScopes(server, state.grant).join(' ');
  return {
    ...state,
    grant,
    clientAuth: chooseClientAuth(server, grant),
    pkce: grant === 'authorization_code' ? 'S256' : 'none',
    scopes: untouched || state.scopes.trim() === '' ? defaultScopes(server, grant).join(' ') : state.scopes,
  };
}

export function usesSecret(clientAuth: ClientAuth): boolean {
  return clientAuth === 'client_secret_basic' || clientAuth === 'client_secret_post';
}

/** What the checks and the save read. The assertion alg follows the chosen key. */
export function toIntendedConfiguration(
  state: ProviderFormState,
  keys: readonly ClientKeyDto[],
  redirectUri: string | undefined,
): IntendedConfiguration {
  const key = state.clientAuth === 'private_key_jwt' ? keys.find((k) => k.kid === state.keyKid) : undefined;
  return {
    grant: state.grant,
    clientAuth: state.clientAuth,
    pkce: state.grant === 'authorization_code' ? state.pkce : 'none',
    ...(key ? { assertionAlg: key.alg } : {}),
    scopes: parseScopes(state.scopes),
    ...(state.grant === 'authorization_code' && redirectUri ? { redirectUri } : {}),
    launch: state.launch,
    // Only what differs from the defaults (no DPoP, push when offered), so a saved configuration reads back the same.
    ...(state.dpop ? { dpop: true } : {}),
    ...(state.grant === 'authorization_code' && state.par === 'never' ? { par: 'never' as const } : {}),
  };
}

/** The save body without the secret (that is added from the password input at the last moment). */
export function toCustomProviderInput(
  state: ProviderFormState,
  discoveryUrl: string,
  keys: readonly ClientKeyDto[],
  savedRedirectUri: string | undefined,
): Omit<CustomProviderInput, 'clientSecret'> {
  const fhirBaseUrl = state.fhirBaseUrl.trim();
  return {
    name: state.name.trim(),
    discoveryUrl,
    ...(fhirBaseUrl !== '' ? { fhirBaseUrl } : {}),
    environmentKind: state.environmentKind,
    clientId: state.clientId.trim(),
    ...(state.clientAuth === 'private_key_jwt' && state.keyKid !== '' ? { keyKid: state.keyKid } : {}),
    config: toIntendedConfiguration(state, keys, savedRedirectUri),
  };
}

/**
 * SECURITY.md rule 15 as the form sees it before saving: which origins of the server a saved secret or key belongs
 * to (discovery URL, token endpoint, FHIR base) the edit changes. The console server decides on save; like it, a
 * built-in sandbox's URL on this page's origin counts as the loopback origin the server calls it on.
 */
export function serverChangeOf(
  saved: Pick<CustomProviderDto, 'discoveryUrl' | 'fhirBaseUrl' | 'environmentKind' | 'server'>,
  edit: { discoveryUrl: string; fhirBaseUrl: string; server: Pick<DiscoveredServerDto, 'token_endpoint'> },
  pageOrigin: string,
): BindingChange[] {
  const before = credentialBindingOf({ discoveryUrl: saved.discoveryUrl, tokenEndpoint: saved.server.token_endpoint ?? '', fhirBaseUrl: saved.fhirBaseUrl });
  const after = credentialBindingOf({
    discoveryUrl: edit.discoveryUrl,
    tokenEndpoint: edit.server.token_endpoint ?? '',
    fhirBaseUrl: edit.fhirBaseUrl.trim() || edit.discoveryUrl,
  });
  if (saved.environmentKind !== 'builtin') return bindingChanges(before, after);
  const internal = before.token;
  const asCalled = (binding: CredentialBinding): CredentialBinding => {
    const map = (origin: string) => (origin === pageOrigin ? internal : origin);
    return { discovery: map(binding.discovery), token: map(binding.token), fhir: map(binding.fhir) };
  };
  return bindingChanges(asCalled(before), asCalled(after));
}

/** Server facts for the checks: the merged discovery metadata without its bookkeeping. */
export function toServerFacts(server: DiscoveredServerDto): ServerFacts {
  const facts: ServerFacts & { sources?: unknown } = { ...server };
  delete facts.sources;
  return facts;
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

export function sortFindings<T extends Pick<ConfigFinding, 'severity'>>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

export function countFindings(findings: ReadonlyArray<Pick<ConfigFinding, 'severity'>>): Record<ConfigFinding['severity'], number> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** v1 / v2 / other per scope, for the little badges beside the scopes field. */
export function scopeSyntax(scopes: readonly string[]): { v1: number; v2: number; malformed: number } {
  const out = { v1: 0, v2: 0, malformed: 0 };
  for (const s of scopes) {
    const kind = classifyScope(s);
    if (kind === 'v1' || kind === 'v2' || kind === 'malformed') out[kind] += 1;
  }
  return out;
}

/** `abcdefgh…wxyz` for long key ids; the full id goes in a title. */
export function shortenKid(kid: string): string {
  return kid.length > 16 ? `${kid.slice(0, 8)}…${kid.slice(-4)}` : kid;
}

/**
 * What the form itself knows will fail, beside the server checks: a client with no client ID cannot ask for a token,
 * so the save would be refused; say so at the field, before Save.
 */
export function formFindings(
  state: Pick<ProviderFormState, 'clientId'>,
  canRegister: boolean,
): { severity: 'error'; code: 'client_id_missing'; field: 'clientId'; message: string; fix: string }[] {
  if (state.clientId.trim() !== '') return [];
  return [
    {
      severity: 'error',
      code: 'client_id_missing',
      field: 'clientId',
      message: 'There is no client ID: the provider identifies the console’s client by it, and nothing can be saved without one.',
      fix: canRegister ? 'Press Register at this server, or paste the client ID the provider registered.' : 'Paste the client ID the provider registered for this app.',
    },
  ];
}
