import 'server-only';
import { scopesSupported } from './scopes';

/**
 * Discovery documents, built as `apps/wellknown/views/openid.py` builds them, on this sandbox's base URL: the
 * authorization and revocation endpoints with their trailing slash stripped (`.rstrip("/")`), the token endpoint as
 * Django reverses it, with its slash. The sandbox serves both forms of each, as Blue Button does.
 * @see ../shared/PROVIDERS.md "smart-configuration (v2)"
 */

const capabilities = [
  'client-confidential-symmetric',
  'context-standalone-patient',
  'launch-standalone',
  'permission-offline',
  'permission-patient',
  'permission-v1',
  'permission-v2',
  'authorize-post',
];

function endpoints(baseUrl: string) {
  return {
    authorization_endpoint: `${baseUrl}/v2/o/authorize`,
    revocation_endpoint: `${baseUrl}/v2/o/revoke_token`,
    token_endpoint: `${baseUrl}/v2/o/token/`,
  };
}

/** `/v2/fhir/.well-known/smart-configuration` (SMART App Launch 2.x). */
export function createSmartConfiguration(baseUrl: string): Record<string, unknown> {
  return {
    ...endpoints(baseUrl),
    grant_types_supported: ['authorization_code'],
    response_types_supported: ['code', 'token'],
    scopes_supported: [...scopesSupported],
    code_challenge_methods_supported: ['S256'],
    capabilities,
  };
}

/** `/v2/connect/.well-known/openid-configuration` and its legacy aliases. The issuer is the server's own URL. */
export function createOpenIdConfiguration(baseUrl: string): Record<string, unknown> {
  const { authorization_endpoint, revocation_endpoint, token_endpoint } = endpoints(baseUrl);
  return {
    issuer: baseUrl,
    authorization_endpoint,
    revocation_endpoint,
    token_endpoint,
    userinfo_endpoint: `${baseUrl}/v2/connect/userinfo`,
    ui_locales_supported: ['en-US'],
    service_documentation: 'https://cmsgov.github.io/bluebutton-developer-help/',
    op_tos_uri: 'https://bluebutton.cms.gov/terms',
    grant_types_supported: ['refresh_token', 'authorization_code'],
    response_types_supported: ['code', 'token'],
    fhir_metadata_uri: `${baseUrl}/v2/fhir/metadata`,
  };
}
