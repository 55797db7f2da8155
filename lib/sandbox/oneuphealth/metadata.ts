import 'server-only';
/** CapabilityStatements and discovery documents of the two emulated FHIR servers and the Keycloak realm. */

const oauthUrisExtension = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const smartService = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
  text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
};

function searchResource(type: string, params: string[], extra: Record<string, unknown> = {}) {
  return {
    type,
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: params.map((name) => ({ name, type: name === 'patient' || name === 'beneficiary' || name === 'subject' ? 'reference' : name === 'birthdate' ? 'date' : name === 'name' || name === 'family' || name === 'given' ? 'string' : 'token' })),
    ...extra,
  };
}

const resources = [
  searchResource('Patient', ['_id', 'identifier', 'name', 'family', 'given', 'birthdate', 'gender']),
  searchResource('Coverage', ['_id', 'patient', 'beneficiary', 'identifier']),
  searchResource('ExplanationOfBenefit', ['_id', 'patient', 'type', 'identifier']),
  searchResource('Encounter', ['_id', 'patient', 'subject']),
];

/** The bison bulk server: searches, system and Group `$export`, token URL of the Keycloak realm. */
export function createBulkCapabilityStatement(fhirBaseUrl: string, tokenUrl: string, nowMs: number): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date(nowMs).toISOString(),
    publisher: '1upHealth (built-in sandbox)',
    kind: 'instance',
    instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
    software: { name: '1up FHIR Bulk Export (built-in sandbox)' },
    implementation: { description: '1upHealth Provider Access and Payer-to-Payer, tenant bison', url: fhirBaseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          service: [smartService],
          extension: [{ url: oauthUrisExtension, extension: [{ url: 'token', valueUri: tokenUrl }] }],
        },
        resource: [
          ...resources,
          {
            type: 'Group',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            operation: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export' }],
          },
        ],
        operation: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' }],
      },
    ],
  };
}

/** The demo plan's Patient Access server, with its authorize and token URLs. */
export function createPatientAccessCapabilityStatement(fhirBaseUrl: string, authorizeUrl: string, tokenUrl: string, nowMs: number): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date(nowMs).toISOString(),
    publisher: '1upHealth (built-in sandbox)',
    kind: 'instance',
    software: { name: '1up Demo Health Plan FHIR (built-in sandbox)' },
    implementation: { description: '1up Demo Health Plan, CMS Patient Access', url: fhirBaseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          service: [smartService],
          extension: [
            {
              url: oauthUrisExtension,
              extension: [
                { url: 'authorize', valueUri: authorizeUrl },
                { url: 'token', valueUri: tokenUrl },
              ],
            },
          ],
        },
        resource: resources,
      },
    ],
  };
}

/** `[fhir base]/.well-known/smart-configuration` of the Patient Access server (SMART App Launch 2.2). */
export function createSmartConfiguration(issuer: string, authorizeUrl: string, tokenUrl: string, jwksUrl: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: jwksUrl,
    authorization_endpoint: authorizeUrl,
    token_endpoint: tokenUrl,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    scopes_supported: ['user/*.read', 'patient/*.read', 'launch/patient', 'openid'],
    code_challenge_methods_supported: ['S256'],
    capabilities: ['launch-standalone', 'client-confidential-symmetric', 'context-standalone-patient', 'permission-patient', 'permission-user', 'sso-openid-connect'],
  };
}

/** The realm's `.well-known/openid-configuration`, trimmed to what a client-credentials client uses. */
export function createRealmConfiguration(issuer: string): Record<string, unknown> {
  const endpoint = (name: string) => `${issuer}/protocol/openid-connect/${name}`;
  return {
    issuer,
    authorization_endpoint: endpoint('auth'),
    token_endpoint: endpoint('token'),
    introspection_endpoint: endpoint('token/introspect'),
    userinfo_endpoint: endpoint('userinfo'),
    end_session_endpoint: endpoint('logout'),
    jwks_uri: endpoint('certs'),
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'client_credentials'],
    response_types_supported: ['code', 'none', 'id_token', 'token', 'id_token token', 'code id_token', 'code token', 'code id_token token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic', 'client_secret_post', 'tls_client_auth', 'client_secret_jwt'],
    scopes_supported: ['openid', 'profile', 'email', 'bulk-data|user/*.rs', 'member-match'],
    code_challenge_methods_supported: ['plain', 'S256'],
  };
}
