import 'server-only';
import type { ServerUrls } from './context';
import { dpopSigningAlgs } from './dpop';
import { identityScopes } from './scopes';

/**
 * Discovery: SMART's `.well-known/smart-configuration` (served at the FHIR base and at the issuer) and OpenID
 * Connect's `.well-known/openid-configuration` at the issuer, whose `issuer` is the URL it is served under.
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html#using-well-known
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */

export const capabilities = [
  'launch-standalone',
  'client-public',
  'client-confidential-symmetric',
  'client-confidential-asymmetric',
  'context-standalone-patient',
  'sso-openid-connect',
  'permission-offline',
  'permission-online',
  'permission-patient',
  'permission-v1',
  'permission-v2',
];

export const scopesSupported = [...identityScopes, 'patient/*.rs', 'patient/*.read', 'patient/Patient.rs', 'patient/Observation.rs', 'system/*.rs', 'system/*.read', 'system/Patient.rs', 'system/Observation.rs'];

const authMethods = ['private_key_jwt', 'client_secret_basic', 'none'];

function endpoints(urls: ServerUrls) {
  return {
    issuer: urls.issuer,
    jwks_uri: urls.jwks,
    authorization_endpoint: urls.authorize,
    token_endpoint: urls.token,
    registration_endpoint: urls.register,
    introspection_endpoint: urls.introspect,
    // RFC 9126 §5: pushing is offered to every client; only clients registered for it must push (§6).
    pushed_authorization_request_endpoint: urls.par,
    require_pushed_authorization_requests: false,
    dpop_signing_alg_values_supported: dpopSigningAlgs,
  };
}

/** `/.well-known/smart-configuration` (SMART App Launch 2.x §Conformance). */
export function createSmartConfiguration(urls: ServerUrls): Record<string, unknown> {
  return {
    ...endpoints(urls),
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    token_endpoint_auth_methods_supported: authMethods,
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: scopesSupported,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
  };
}

/** `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §3). */
export function createOpenIdConfiguration(urls: ServerUrls): Record<string, unknown> {
  return {
    ...endpoints(urls),
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    token_endpoint_auth_methods_supported: authMethods,
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: scopesSupported,
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'fhirUser'],
    code_challenge_methods_supported: ['S256'],
  };
}
