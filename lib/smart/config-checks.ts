import { CONSOLE_DPOP_ALGS } from '@/lib/contract/dpop';
import { classifyScope, type IntendedConfiguration } from '@/lib/contract/smart';
import type { DiscoveredServer } from './discovery';
import { classifyHost } from './url-policy';

/**
 * Checks a user's intended client configuration against what a server advertised, and says what will fail before
 * it fails. Pure and isomorphic (the form can run it too).
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 * @see https://hl7.org/fhir/smart-app-launch/backend-services.html
 */


/** The server as the checks see it: what discovery (or a saved provider) knows. */
export type ServerFacts = Omit<DiscoveredServer, 'sources' | 'smart_versions'> & Partial<Pick<DiscoveredServer, 'smart_versions'>>;

export interface ConfigFinding {
  severity: 'error' | 'warning' | 'info';
  code: ConfigFindingCode;
  /** Plain words: what will fail and why. */
  message: string;
  fix: string;
  field?: keyof IntendedConfiguration;
}

export type ConfigFindingCode =
  | 'grant_not_supported'
  | 'authorization_endpoint_missing'
  | 'token_endpoint_missing'
  | 'token_endpoint_insecure'
  | 'client_auth_not_supported'
  | 'client_auth_unadvertised'
  | 'public_client_backend'
  | 'backend_not_asymmetric'
  | 'assertion_alg_missing'
  | 'signing_alg_not_supported'
  | 'signing_alg_unadvertised'
  | 'jwks_uri_missing'
  | 'backend_capability_missing'
  | 'pkce_s256_not_supported'
  | 'pkce_unadvertised'
  | 'pkce_plain'
  | 'pkce_disabled'
  | 'response_type_code_unsupported'
  | 'redirect_uri_missing'
  | 'redirect_uri_invalid'
  | 'launch_mode_unsupported'
  | 'launch_scope_missing'
  | 'launch_patient_unsupported'
  | 'offline_access_unsupported'
  | 'openid_unsupported'
  | 'scope_malformed'
  | 'scope_v1_on_v2_server'
  | 'scope_v2_on_v1_server'
  | 'scope_versions_mixed'
  | 'scope_not_listed'
  | 'backend_user_scopes'
  | 'scopes_empty'
  | 'dpop_offered'
  | 'dpop_unadvertised'
  | 'dpop_alg_unsupported'
  | 'par_offered'
  | 'par_required_but_off'
  | 'par_required_without_endpoint';

type Check = (s: ServerFacts, c: IntendedConfiguration) => Omit<ConfigFinding, 'code'>[] | Omit<ConfigFinding, 'code'> | null;

const isBackend = (c: IntendedConfiguration) => c.grant === 'client_credentials';
const caps = (s: ServerFacts) => s.capabilities;
const hasCap = (s: ServerFacts, cap: string) => s.capabilities?.includes(cap) === true;

/** One row per finding code; order is the order a user fixes things in. */
const CHECKS: [ConfigFindingCode, Check][] = [
  ['grant_not_supported', (s, c) =>
    s.grant_types_supported && !s.grant_types_supported.includes(c.grant)
      ? { severity: 'error', field: 'grant', message: `The server lists grant types ${list(s.grant_types_supported)}, not ${c.grant}; the token request will fail with unsupported_grant_type.`, fix: `Pick one of ${list(s.grant_types_supported)}, or ask the server's administrator to enable ${c.grant}.` }
      : null],
  ['authorization_endpoint_missing', (s, c) =>
    c.grant === 'authorization_code' && !s.authorization_endpoint
      ? { severity: 'error', field: 'grant', message: 'The authorization code grant starts at the authorization endpoint, and the server published none; there is nowhere to send the user.', fix: 'Enter the authorization endpoint by hand, or use client_credentials if this is a backend server.' }
      : null],
  ['token_endpoint_missing', (s) =>
    !s.token_endpoint
      ? { severity: 'error', message: 'The server published no (usable) token endpoint, so no token can be requested.', fix: 'Enter the token endpoint by hand from the provider’s documentation.' }
      : null],
  ['token_endpoint_insecure', (s) => {
    const url = parse(s.token_endpoint);
    return url && url.protocol !== 'https:' && classifyHost(url.hostname) !== 'loopback'
      ? { severity: 'error', message: `The token endpoint ${url.origin} is plain http on a non-loopback host: the client secret or assertion and the tokens would cross the network unencrypted (RFC 6749 §3.2 requires TLS).`, fix: 'Use the https token endpoint.' }
      : null;
  }],
  ['client_auth_not_supported', (s, c) =>
    c.clientAuth !== 'none' && s.token_endpoint_auth_methods_supported && !s.token_endpoint_auth_methods_supported.includes(c.clientAuth)
      ? { severity: 'error', field: 'clientAuth', message: `The server accepts client authentication by ${list(s.token_endpoint_auth_methods_supported)}, not ${c.clientAuth}; the token request will fail with invalid_client.`, fix: `Switch to ${s.token_endpoint_auth_methods_supported[0] ?? 'a listed method'}, or register the client for ${c.clientAuth}.` }
      : null],
  ['client_auth_unadvertised', (s, c) =>
    !s.token_endpoint_auth_methods_supported && c.clientAuth !== 'none' && c.clientAuth !== 'client_secret_basic'
      ? { severity: 'warning', field: 'clientAuth', message: `The server does not list token_endpoint_auth_methods_supported; by RFC 8414 §2 that means only client_secret_basic is promised, so ${c.clientAuth} may be refused.`, fix: 'Check the provider’s documentation, or try client_secret_basic.' }
      : null],
  ['public_client_backend', (s, c) =>
    isBackend(c) && c.clientAuth === 'none'
      ? { severity: 'error', field: 'clientAuth', message: 'client_credentials needs a client that can prove who it is; with no client authentication anyone could ask for the token.', fix: 'Use private_key_jwt (SMART Backend Services) or a client secret.' }
      : null],
  ['backend_not_asymmetric', (s, c) =>
    isBackend(c) && (c.clientAuth === 'client_secret_basic' || c.clientAuth === 'client_secret_post')
      ? { severity: 'warning', field: 'clientAuth', message: 'SMART Backend Services authenticates with a signed JWT (private_key_jwt); a shared secret works only on servers that allow it outside the SMART profile.', fix: 'Use private_key_jwt with an RS384 or ES384 key.' }
      : null],
  ['assertion_alg_missing', (s, c) =>
    c.clientAuth === 'private_key_jwt' && !c.assertionAlg
      ? { severity: 'error', field: 'assertionAlg', message: 'private_key_jwt signs a client assertion, and no signing algorithm is chosen.', fix: 'Choose RS384 or ES384 (SMART Backend Services allows these two).' }
      : null],
  ['signing_alg_not_supported', (s, c) =>
    c.clientAuth === 'private_key_jwt' && c.assertionAlg && s.token_endpoint_auth_signing_alg_values_supported && !s.token_endpoint_auth_signing_alg_values_supported.includes(c.assertionAlg)
      ? { severity: 'error', field: 'assertionAlg', message: `The server verifies client assertions signed with ${list(s.token_endpoint_auth_signing_alg_values_supported)}, not ${c.assertionAlg}; it will answer invalid_client.`, fix: `Use a key for one of ${list(s.token_endpoint_auth_signing_alg_values_supported)}.` }
      : null],
  ['signing_alg_unadvertised', (s, c) =>
    c.clientAuth === 'private_key_jwt' && c.assertionAlg && !s.token_endpoint_auth_signing_alg_values_supported
      ? { severity: 'warning', field: 'assertionAlg', message: `The server does not list token_endpoint_auth_signing_alg_values_supported, so it is not known whether it accepts ${c.assertionAlg}.`, fix: 'Check the provider’s documentation; RS384 is the most widely accepted.' }
      : null],
  ['jwks_uri_missing', (s, c) =>
    !s.jwks_uri && (c.clientAuth === 'private_key_jwt' || c.scopes.includes('openid'))
      ? { severity: 'warning', message: c.scopes.includes('openid') ? 'The server publishes no jwks_uri, so an id_token it issues cannot be verified.' : 'The server publishes no jwks_uri; SMART servers that support private_key_jwt normally do. Your public key is registered with the server separately, so this alone does not break the token call, but the server may not support asymmetric keys.', fix: 'Confirm with the provider that asymmetric client keys (and id_token keys) are supported.' }
      : null],
  ['backend_capability_missing', (s, c) =>
    isBackend(c) && c.clientAuth === 'private_key_jwt' && caps(s) && !hasCap(s, 'client-confidential-asymmetric')
      ? { severity: 'warning', field: 'clientAuth', message: 'The SMART capabilities do not include client-confidential-asymmetric, which a server supporting Backend Services advertises; a signed client assertion may be refused.', fix: 'Confirm with the provider that Backend Services is enabled for your client.' }
      : null],
  ['pkce_s256_not_supported', (s, c) =>
    c.grant === 'authorization_code' && s.code_challenge_methods_supported && !s.code_challenge_methods_supported.includes('S256')
      ? { severity: 'error', field: 'pkce', message: s.code_challenge_methods_supported.includes('plain') ? 'The server offers only plain PKCE, which protects nothing if the authorization request is seen; SMART 2 requires S256 and this console sends only S256.' : `The server lists code challenge methods ${list(s.code_challenge_methods_supported)} without S256; an S256 challenge will be refused.`, fix: 'Ask the provider to enable S256 (RFC 7636 §4.2; SMART App Launch 2.x requires it).' }
      : null],
  ['pkce_unadvertised', (s, c) =>
    c.grant === 'authorization_code' && c.pkce !== 'none' && !s.code_challenge_methods_supported
      ? { severity: 'warning', field: 'pkce', message: 'The server does not list code_challenge_methods_supported; it may ignore the PKCE challenge (the flow still works, unprotected) or reject it.', fix: 'Keep S256; check the provider’s documentation.' }
      : null],
  ['pkce_plain', (s, c) =>
    c.grant === 'authorization_code' && c.pkce === 'plain'
      ? { severity: 'error', field: 'pkce', message: 'plain PKCE sends the verifier itself in the authorization request, so anyone who sees that URL can redeem the code; SMART 2 forbids it.', fix: 'Use S256.' }
      : null],
  ['pkce_disabled', (s, c) =>
    c.grant === 'authorization_code' && c.pkce === 'none'
      ? { severity: c.clientAuth === 'none' ? 'error' : 'warning', field: 'pkce', message: 'Without PKCE a stolen authorization code can be redeemed by someone else' + (c.clientAuth === 'none' ? ', and a public client has no other protection.' : '.') + ' SMART App Launch 2.x requires PKCE for every client.', fix: 'Use S256.' }
      : null],
  ['response_type_code_unsupported', (s, c) =>
    c.grant === 'authorization_code' && s.response_types_supported && !s.response_types_supported.includes('code')
      ? { severity: 'error', field: 'grant', message: `The server's response_types_supported is ${list(s.response_types_supported)}, without code; the authorization request will fail with unsupported_response_type.`, fix: 'This server does not do the authorization code flow; check its documentation.' }
      : null],
  ['redirect_uri_missing', (s, c) =>
    c.grant === 'authorization_code' && !c.redirectUri
      ? { severity: 'error', field: 'redirectUri', message: 'The authorization code flow returns the user to a redirect URI, and none is set.', fix: 'Enter the redirect URI registered with the provider, byte for byte.' }
      : null],
  ['redirect_uri_invalid', (s, c) => {
    if (c.grant !== 'authorization_code' || !c.redirectUri) return null;
    const url = parse(c.redirectUri);
    if (!url) return { severity: 'error', field: 'redirectUri', message: 'The redirect URI is not an absolute URL.', fix: 'Enter the full registered URL, e.g. https://console.example/api/oauth/custom/callback.' };
    if (c.redirectUri.includes('#')) return { severity: 'error', field: 'redirectUri', message: 'A redirect URI must not contain a fragment (RFC 6749 §3.1.2).', fix: 'Remove the #… part.' };
    if (url.protocol !== 'https:' && classifyHost(url.hostname) !== 'loopback') return { severity: 'error', field: 'redirectUri', message: 'The authorization code would travel over plain http to a non-loopback host (RFC 9700 §2.6).', fix: 'Use an https redirect URI.' };
    return null;
  }],
  ['launch_mode_unsupported', (s, c) => {
    if (isBackend(c) || !caps(s)) return null;
    const cap = c.launch === 'standalone' ? 'launch-standalone' : 'launch-ehr';
    return hasCap(s, cap) ? null : { severity: 'error', field: 'launch', message: `The SMART capabilities do not include ${cap}, so a ${c.launch} launch is not supported by this server.`, fix: `Use ${c.launch === 'standalone' ? 'an EHR launch' : 'a standalone launch'} if it is listed, or ask the provider.` };
  }],
  ['launch_scope_missing', (s, c) =>
    !isBackend(c) && c.launch === 'ehr' && !c.scopes.includes('launch')
      ? { severity: 'error', field: 'scopes', message: 'An EHR launch passes a launch parameter that the server only honours together with the launch scope; without it there will be no patient or encounter context.', fix: 'Add the scope launch.' }
      : null],
  ['launch_patient_unsupported', (s, c) => {
    if (!c.scopes.includes('launch/patient')) return null;
    if (isBackend(c)) return { severity: 'error', field: 'scopes', message: 'launch/patient asks a user to pick a patient, and a backend services request has no user.', fix: 'Remove launch/patient.' };
    const missing = (caps(s) && !hasCap(s, 'context-standalone-patient')) || (s.scopes_supported && !s.scopes_supported.includes('launch/patient'));
    return missing ? { severity: 'error', field: 'scopes', message: 'launch/patient is requested, but the server does not advertise standalone patient selection (context-standalone-patient / scopes_supported); no patient will be in the token response.', fix: 'Remove launch/patient, or use an EHR launch.' } : null;
  }],
  ['offline_access_unsupported', (s, c) => {
    if (!c.scopes.includes('offline_access')) return null;
    if (isBackend(c)) return { severity: 'warning', field: 'scopes', message: 'Backend services get no refresh token; offline_access is ignored or refused. Ask for a new token with a fresh assertion instead.', fix: 'Remove offline_access.' };
    const missing = (caps(s) && !hasCap(s, 'permission-offline')) || (s.scopes_supported && !s.scopes_supported.includes('offline_access'));
    return missing ? { severity: 'warning', field: 'scopes', message: 'offline_access is requested, but the server does not advertise permission-offline; expect no refresh token.', fix: 'Remove offline_access, or ask the provider.' } : null;
  }],
  ['openid_unsupported', (s, c) =>
    c.scopes.includes('openid') && caps(s) && !hasCap(s, 'sso-openid-connect')
      ? { severity: 'warning', field: 'scopes', message: 'openid is requested, but the server does not advertise sso-openid-connect; expect no id_token.', fix: 'Remove openid and fhirUser, or ask the provider.' }
      : null],
  ['scopes_empty', (s, c) =>
    c.scopes.length === 0
      ? { severity: 'warning', field: 'scopes', message: 'No scopes are requested; most SMART servers refuse the request or grant nothing useful.', fix: isBackend(c) ? 'Add e.g. system/*.rs.' : 'Add e.g. openid fhirUser patient/*.rs.' }
      : null],
  ['scope_malformed', (s, c) =>
    c.scopes.filter((x) => classifyScope(x) === 'malformed').map((x) => ({
      severity: 'error' as const,
      field: 'scopes' as const,
      message: `"${x}" is not a SMART scope. v1 is context/Type.read|write|* (patient/Observation.read); v2 is context/Type.cruds with the letters in that order (patient/Observation.rs), where c=create, r=read, u=update, d=delete, s=search.`,
      fix: suggestScope(x),
    }))],
  ['scope_v1_on_v2_server', (s, c) => {
    const v1 = c.scopes.filter((x) => classifyScope(x) === 'v1');
    const versions = s.smart_versions ?? versionsOf(s);
    return v1.length > 0 && versions.includes('v2') && !versions.includes('v1')
      ? { severity: 'error', field: 'scopes', message: `The server advertises only SMART v2 permissions (permission-v2); v1 scopes ${list(v1)} will be refused or dropped.`, fix: `Use v2 syntax: ${v1.map(toV2).join(' ')}.` }
      : null;
  }],
  ['scope_v2_on_v1_server', (s, c) => {
    const v2 = c.scopes.filter((x) => classifyScope(x) === 'v2');
    const versions = s.smart_versions ?? versionsOf(s);
    if (v2.length === 0 || versions.includes('v2')) return null;
    const v1Only = versions.includes('v1');
    if (!v1Only && !caps(s)) return null;
    return { severity: v1Only ? 'error' : 'warning', field: 'scopes', message: v1Only ? `The server advertises only SMART v1 permissions (permission-v1); v2 scopes ${list(v2)} will be refused or dropped.` : `The server does not advertise permission-v2, so v2 scopes ${list(v2)} may not be understood (SMART 1.0 servers predate them).`, fix: `Use v1 syntax: ${v2.map(toV1).join(' ')}.` };
  }],
  ['scope_versions_mixed', (s, c) => {
    const kinds = new Set(c.scopes.map(classifyScope));
    return kinds.has('v1') && kinds.has('v2')
      ? { severity: 'warning', field: 'scopes', message: 'The request mixes SMART v1 (.read/.write) and v2 (.cruds) scopes; servers handle the mix inconsistently.', fix: 'Use one syntax throughout.' }
      : null;
  }],
  ['scope_not_listed', (s, c) => {
    if (!s.scopes_supported) return null;
    const listed = new Set(s.scopes_supported);
    const absent = c.scopes.filter((x) => !listed.has(x) && classifyScope(x) !== 'malformed' && x !== 'launch/patient' && x !== 'offline_access');
    return absent.length > 0
      ? { severity: 'info', field: 'scopes', message: `${list(absent)} ${absent.length === 1 ? 'is' : 'are'} not in scopes_supported. That list may be partial (SMART: RECOMMENDED, not exhaustive), so this may still work.`, fix: 'Prefer scopes from scopes_supported if the request is refused.' }
      : null;
  }],
  ['backend_user_scopes', (s, c) => {
    if (!isBackend(c)) return null;
    const bad = c.scopes.filter((x) => /^(patient|user)\//.test(x));
    return bad.length > 0
      ? { severity: 'error', field: 'scopes', message: `Backend services have no user or patient in context, so ${list(bad)} cannot be granted; the server will answer invalid_scope.`, fix: `Use system/ scopes: ${bad.map((x) => x.replace(/^(patient|user)\//, 'system/')).join(' ')}.` }
      : null;
  }],
  ['dpop_alg_unsupported', (s, c) => {
    const algs = s.dpop_signing_alg_values_supported;
    return c.dpop && algs && algs.length > 0 && !algs.some((alg) => (CONSOLE_DPOP_ALGS as readonly string[]).includes(alg))
      ? { severity: 'error', field: 'dpop', message: `The server takes DPoP proofs signed with ${list(algs)}; the console signs with ${list(CONSOLE_DPOP_ALGS)}, so no proof it makes will be accepted.`, fix: 'Turn DPoP off for this provider, or ask the provider for one of those algorithms.' }
      : null;
  }],
  ['dpop_unadvertised', (s, c) =>
    c.dpop && !s.dpop_signing_alg_values_supported
      ? { severity: 'warning', field: 'dpop', message: 'The server does not list dpop_signing_alg_values_supported (RFC 9449 §5.1): it may not support DPoP, and then it ignores the proof and issues a Bearer token, or refuses the request.', fix: 'Keep DPoP on to find out (the console says which happened), or turn it off.' }
      : null],
  ['dpop_offered', (s, c) =>
    !c.dpop && s.dpop_signing_alg_values_supported && s.dpop_signing_alg_values_supported.length > 0
      ? { severity: 'info', field: 'dpop', message: `The server takes DPoP proofs (${list(s.dpop_signing_alg_values_supported)}): with DPoP on, its tokens are bound to a key the console keeps, and useless to anyone who copies them. A client registered with dpop_bound_access_tokens must use it.`, fix: 'Turn DPoP on to sender-constrain the tokens (RFC 9449).' }
      : null],
  ['par_required_without_endpoint', (s, c) =>
    c.grant === 'authorization_code' && s.require_pushed_authorization_requests === true && !s.pushed_authorization_request_endpoint
      ? { severity: 'error', field: 'par', message: 'The server requires pushed authorization requests but publishes no (usable) pushed_authorization_request_endpoint: no authorization request can reach it.', fix: 'Ask the provider for its PAR endpoint (RFC 9126 §5).' }
      : null],
  ['par_required_but_off', (s, c) =>
    c.grant === 'authorization_code' && s.require_pushed_authorization_requests === true && c.par === 'never'
      ? { severity: 'error', field: 'par', message: 'The server accepts only pushed authorization requests (require_pushed_authorization_requests), and pushing is off: the authorization endpoint will refuse the request.', fix: 'Set pushed authorization requests to “when offered”.' }
      : null],
  ['par_offered', (s, c) =>
    c.grant === 'authorization_code' && s.pushed_authorization_request_endpoint && c.par !== 'never'
      ? { severity: 'info', field: 'par', message: `The console will push each authorization request to ${s.pushed_authorization_request_endpoint} (RFC 9126) with the client’s authentication; the browser carries only the request_uri it gets back.`, fix: 'Nothing to do. Set pushed authorization requests to “never” to send them through the browser instead.' }
      : null],
];

/** Every finding code the checks can produce (for tests and docs). */
export const CONFIG_FINDING_CODES: readonly ConfigFindingCode[] = CHECKS.map(([code]) => code);

/** Runs every check; an empty result or one without `error` means nothing is known to fail. */
export function checkConfiguration(server: ServerFacts, config: IntendedConfiguration): ConfigFinding[] {
  const out: ConfigFinding[] = [];
  for (const [code, check] of CHECKS) {
    const r = check(server, config);
    if (!r) continue;
    for (const f of Array.isArray(r) ? r : [r]) out.push({ code, ...f });
  }
  return out;
}

function versionsOf(s: ServerFacts): ('v1' | 'v2')[] {
  const v: ('v1' | 'v2')[] = [];
  if (hasCap(s, 'permission-v1')) v.push('v1');
  if (hasCap(s, 'permission-v2')) v.push('v2');
  return v;
}

/** SMART 2.x §Scopes for requesting clinical data: read → rs, write → cud, * → cruds. */
function toV2(scope: string): string {
  return scope.replace(/\.read$/, '.rs').replace(/\.write$/, '.cud').replace(/\.\*$/, '.cruds');
}

function toV1(scope: string): string {
  const [head, perms = ''] = scope.replace(/\?.*$/, '').split(/\.(?=[cruds]+$)/);
  const read = /[rs]/.test(perms);
  const write = /[cud]/.test(perms);
  return `${head}.${read && write ? '*' : write ? 'write' : 'read'}`;
}

function suggestScope(scope: string): string {
  const m = /^(patient|user|system)\/([^.]*)\.?(.*)$/.exec(scope);
  if (!m) return 'Write it as context/Type.permissions, e.g. patient/Observation.rs.';
  const [, context, type] = m;
  const resource = type === '*' || /^[A-Z][A-Za-z]*$/.test(type ?? '') ? type : 'Observation';
  return `Write e.g. ${context}/${resource}.rs (v2) or ${context}/${resource}.read (v1).`;
}

function parse(href: string | undefined): URL | null {
  if (!href) return null;
  try {
    return new URL(href);
  } catch {
    return null;
  }
}

function list(items: readonly string[]): string {
  return items.length === 0 ? '(none)' : items.join(', ');
}
