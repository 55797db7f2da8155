import 'server-only';
import { providerSchema, type ProviderInput } from './schema';

/** Keycloak's token and key paths in 1up's `dev-portal` realm (Provider Access, Payer-to-Payer, bulk export). */
const keycloakTokenPath = '/auth/realms/dev-portal/protocol/openid-connect/token';
const keycloakCertsPath = '/auth/realms/dev-portal/protocol/openid-connect/certs';

/** Bulk FHIR base of sandbox tenant `bison`: `…/v1/<customer>/bulk-export/bulk-data/r4`. */
const bisonBulkBase = '/v1/bison/bulk-export/bulk-data/r4';

const bulkHeaders = { Accept: 'application/fhir+json', Prefer: 'respond-async' };
const fhirHeaders = { Accept: 'application/fhir+json' };

/**
 * 1upHealth. Provider Access and Payer-to-Payer: client credentials against a Keycloak realm (form body, a
 * pipe-joined scope), RS256 JWTs, FHIR R4 and bulk `$export`. Patient Access: authorization code against a
 * health plan's own auth host, opaque 2-hour tokens.
 * @see ../shared/seeds/1uphealth-client-credentials.md
 * @see ../shared/PROVIDERS.md section "4. 1upHealth" (relative to the repository root)
 */
const oneuphealthInput: ProviderInput = {
  id: '1uphealth',
  name: '1upHealth',
  summary:
    'CMS-0057 Provider Access and Payer-to-Payer (Keycloak client credentials, FHIR R4 and bulk $export) and CMS Patient ' +
    'Access (authorization code at a health plan’s login). Keycloak JWTs signed RS256.',
  docs: [
    {
      label: 'Register and get client credentials',
      url: 'https://docs.1up.health/help-center/Content/en-US/get-started/quick-start/register.html',
    },
    {
      label: 'Provider Access (tenant bison)',
      url: 'https://docs.1up.health/help-center/Content/en-US/provider-access_0057/provider-access.html',
    },
    {
      label: 'Patient Access: connect to payer endpoints',
      url: 'https://docs.1up.health/help-center/Content/en-US/get-started/cms-patient-access/connect-payer-endpoints.html',
    },
    {
      label: 'Getting started with the CMS R4 APIs',
      url: 'https://1up.health/docs/start/cms-patient-access-rule-for-developers/getting-started-with-cms-r4-apis',
    },
  ],
  environments: [
    {
      id: 'builtin',
      kind: 'builtin',
      label: 'Built-in sandbox',
      origin: null,
      tokenPath: keycloakTokenPath,
      fhirBasePath: bisonBulkBase,
      jwksPath: keycloakCertsPath,
      allowedPathPrefixes: ['/v1/bison/bulk-export/'],
      note:
        'Emulates gateway.1up.health (Keycloak realm dev-portal, tenant bison) and the 1up demo health plan (Patient Access) ' +
        'inside this console, with deterministic synthetic members. Works offline.',
    },
    {
      id: 'sandbox',
      kind: 'sandbox',
      label: '1upHealth sandbox (gateway.1up.health)',
      origin: 'https://gateway.1up.health',
      tokenPath: keycloakTokenPath,
      fhirBasePath: bisonBulkBase,
      jwksPath: keycloakCertsPath,
      allowedPathPrefixes: ['/v1/'],
      note:
        'The real sandbox; needs internet and a client created in the 1up Dev Portal (Sandbox Clients). The bison bulk base ' +
        'is the documented pattern, not a confirmed URL. Patient Access lives on another host (auth.1updemohealthplan.com) ' +
        'and is only emulated by the built-in sandbox here.',
    },
    {
      id: 'production',
      kind: 'production',
      label: '1upHealth production (gateway.1up.health)',
      origin: 'https://gateway.1up.health',
      tokenPath: keycloakTokenPath,
      fhirBasePath: bisonBulkBase,
      jwksPath: keycloakCertsPath,
      allowedPathPrefixes: ['/v1/'],
      note:
        'Real member data, for onboarded clients only. Health-plan partners use their own realm ' +
        '(/auth/realms/<customer>/protocol/openid-connect/token) and customer path (/v1/<customer>/…): adjust both.',
    },
  ],
  grant: {
    grantType: 'client_credentials',
    clientAuth: 'form',
    httpMethod: 'POST',
    body: 'form',
    extraParams: { grant_type: 'client_credentials' },
    // One Keycloak client scope whose name contains a pipe, exactly as in the seed: not two scopes.
    scopes: ['bulk-data|user/*.rs'],
    headers: { Accept: 'application/json' },
  },
  documentedTokenLifetimeSeconds: 300,
  tokenFormat: 'jwt',
  tokenReuse: {
    reuseLiveToken: true,
    reason:
      '1up rate-limits per client (429, thresholds unpublished) and Keycloak tokens are valid until `exp`: reuse a live token ' +
      'for the FHIR and bulk-status calls of an export instead of minting one per request.',
  },
  presets: [
    {
      id: 'provider-access',
      label: 'Provider Access (tenant bison)',
      clientId: '91350dc9-69b5-4432-895d-90d375fa76cc',
      clientSecret: 'PxD8HvES4HocqzZP0nQhdqGlyEbn1994',
      environments: ['builtin'],
      notes:
        'An invented dev-portal client of the built-in sandbox. It sees the 150 members of tenant bison attributed to its ' +
        'provider group (Group/bison-provider-attributed): FHIR searches, system $export and group $export.',
      facts: { tenant: 'bison', group: 'bison-provider-attributed', members: 150, api: 'Provider Access' },
    },
    {
      id: 'payer-to-payer',
      label: 'Payer-to-Payer',
      clientId: 'b59cdc2d-53ec-4172-8b29-e2fd386a62ee',
      clientSecret: '6g5H3pIkizCLDZ5OlVJQpTNLZTQMgWue',
      environments: ['builtin'],
      notes:
        'An invented dev-portal client of the built-in sandbox for a new payer: the 40 bison members who opted in ' +
        '(Group/bison-payer-to-payer-opt-in). The seed’s Payer-to-Payer token request uses the same scope as Provider ' +
        'Access (bulk-data|user/*.rs); the sandbox also accepts the client scope member-match (PROVIDERS.md shows a ' +
        'truncated scope starting "member-match").',
      facts: { tenant: 'bison', group: 'bison-payer-to-payer-opt-in', members: 40, api: 'Payer-to-Payer' },
    },
    {
      id: 'patient-access',
      label: 'Patient Access — demo health plan',
      clientId: 'a5497dddc8626b3539fde44b36b21007',
      clientSecret: '6123526772a3b8f40380b18a0591de6f',
      environments: ['builtin'],
      notes:
        'An invented third-party app of the 1up Demo Health Plan. Authorization code at /oauth2/authorize/{test|demoplan}, ' +
        'member login and consent, then opaque 2-hour access tokens and a refresh token; FHIR R4 under /r4 for the signed-in ' +
        'member only. The code lives 5 minutes and works once.',
      facts: { plan: '1up Demo Health Plan', systemIds: 'test, demoplan', api: 'Patient Access', tokenFormat: 'opaque' },
      grant: {
        grantType: 'authorization_code',
        clientAuth: 'form',
        httpMethod: 'POST',
        body: 'form',
        extraParams: {},
        scopes: ['user/*.read', 'launch/patient', 'openid'],
        headers: { Accept: 'application/json' },
        // 1up documents no PKCE; the built-in sandbox verifies S256 whenever a code_challenge is sent.
        pkce: 'S256',
        stateMinLength: 0,
        authorizeParams: {},
        refresh: { supported: true, rotates: false },
        // The legacy OAuth guide: access tokens "valid for 2 hours", expires_in 7199 (PROVIDERS.md).
        documentedTokenLifetimeSeconds: 7200,
      },
      environmentOverrides: {
        builtin: {
          tokenPath: '/oauth2/token',
          authorizePath: '/oauth2/authorize/test',
          fhirBasePath: '/r4',
          jwksPath: '/oauth2/certs',
          allowedPathPrefixes: ['/r4/'],
        },
      },
      sandboxUsers: [
        { username: '08-testmemid', password: 'Argonaut1986!', note: 'Jason Argonaut, born 1986-01-01, zip 02114 (1up’s demo member)' },
        { username: '08-DMO000001', password: 'DemoPlan2026!', note: 'A second synthetic member, to see that tokens are per member' },
      ],
    },
  ],
  allowCustomCredentials: true,
  defaultRequests: [
    {
      id: 'metadata',
      group: 'discovery',
      label: 'CapabilityStatement (bison bulk server)',
      method: 'GET',
      path: `${bisonBulkBase}/metadata`,
      headers: fhirHeaders,
      description: 'What the Provider Access / Payer-to-Payer FHIR server supports. Needs no token.',
    },
    {
      id: 'patient-search',
      group: 'data',
      label: 'Patient search',
      method: 'GET',
      path: `${bisonBulkBase}/Patient?_count=10`,
      headers: fhirHeaders,
      description: 'The members this client may see, 10 per page; follow the Bundle’s `next` link for more.',
    },
    {
      id: 'eob-search',
      group: 'data',
      label: 'ExplanationOfBenefit search',
      method: 'GET',
      path: `${bisonBulkBase}/ExplanationOfBenefit?_count=10`,
      headers: fhirHeaders,
      description: 'Adjudicated claims of the visible members. Add `patient=<id>` for one member.',
    },
    {
      id: 'coverage-search',
      group: 'data',
      label: 'Coverage search',
      method: 'GET',
      path: `${bisonBulkBase}/Coverage?_count=10`,
      headers: fhirHeaders,
      description: 'Plan enrolment of the visible members.',
    },
    {
      id: 'group-search',
      group: 'data',
      label: 'Groups of this client',
      method: 'GET',
      path: `${bisonBulkBase}/Group`,
      headers: fhirHeaders,
      description: 'The member group behind this client’s exports, with its id for a Group $export.',
    },
    {
      id: 'system-export',
      group: 'bulk',
      label: 'System $export (client-id export)',
      method: 'GET',
      path: `${bisonBulkBase}/$export`,
      headers: bulkHeaders,
      description: 'Bulk export of every member this client may see: Patient, Coverage, ExplanationOfBenefit and Encounter.',
      bulkExport: true,
    },
    {
      id: 'encounter-export-since',
      group: 'bulk',
      label: '$export of Encounters since a date',
      method: 'GET',
      path: `${bisonBulkBase}/$export?_type=Encounter&_since=2025-01-01`,
      headers: bulkHeaders,
      description: '`_type` and 1up’s date-only `_since` (the Bulk Data IG asks for an instant; both are accepted).',
      bulkExport: true,
    },
    {
      id: 'group-export',
      group: 'bulk',
      label: 'Group $export (Provider Access group)',
      method: 'GET',
      path: `${bisonBulkBase}/Group/bison-provider-attributed/$export`,
      headers: bulkHeaders,
      description: 'Group-level export. With the Payer-to-Payer client use Group/bison-payer-to-payer-opt-in instead.',
      bulkExport: true,
    },
    {
      id: 'patient-access-patient',
      group: 'data',
      label: 'Patient Access: my Patient record',
      method: 'GET',
      path: '/r4/Patient',
      headers: fhirHeaders,
      description: 'Patient Access preset only: the signed-in member’s own Patient resource.',
    },
    {
      id: 'patient-access-eob',
      group: 'data',
      label: 'Patient Access: my claims',
      method: 'GET',
      path: '/r4/ExplanationOfBenefit',
      headers: fhirHeaders,
      description: 'Patient Access preset only: the signed-in member’s ExplanationOfBenefit resources.',
    },
    {
      id: 'patient-access-coverage',
      group: 'data',
      label: 'Patient Access: my coverage',
      method: 'GET',
      path: '/r4/Coverage',
      headers: fhirHeaders,
      description: 'Patient Access preset only: the signed-in member’s Coverage.',
    },
    {
      id: 'patient-access-metadata',
      group: 'discovery',
      label: 'Patient Access: CapabilityStatement',
      method: 'GET',
      path: '/r4/metadata',
      headers: fhirHeaders,
      description: 'Patient Access preset only: the demo plan’s FHIR server and its OAuth endpoints. Needs no token.',
    },
    {
      id: 'patient-access-smart-configuration',
      group: 'discovery',
      label: 'Patient Access: SMART configuration',
      method: 'GET',
      path: '/r4/.well-known/smart-configuration',
      headers: fhirHeaders,
      description: 'Patient Access preset only: the demo plan’s authorize and token endpoints. Needs no token.',
    },
  ],
  bulkExport: {
    bases: [
      {
        id: 'bison',
        label: 'Tenant bison (Provider Access, Payer-to-Payer)',
        path: bisonBulkBase,
        levels: ['system', 'group'],
        groups: [
          { id: 'bison-provider-attributed', label: 'bison-provider-attributed (Provider Access client)' },
          { id: 'bison-payer-to-payer-opt-in', label: 'bison-payer-to-payer-opt-in (Payer-to-Payer client)' },
        ],
        resourceTypes: ['Patient', 'Coverage', 'ExplanationOfBenefit', 'Encounter'],
        note: 'A Group export works only for the group of the client’s own token.',
      },
    ],
    outputFormats: ['application/fhir+ndjson', 'application/ndjson', 'ndjson'],
    cancel: {
      supported: false,
      note: '1upHealth answers 403 to DELETE on its export endpoints: a started export cannot be cancelled.',
    },
  },
  claimGlossary: {
    patient: 'the signed-in member’s Patient id (Patient Access; SMART launch context)',
    refresh_expires_in: 'refresh token lifetime in seconds; 0 when no refresh token is issued (Keycloak)',
    'not-before-policy': 'tokens issued before this time are refused (Keycloak)',
    session_state: 'the authorization server’s session id (Keycloak)',
  },
  knownDeviations: [
    {
      code: 'token_request_get',
      summary: 'The seed’s curl sends the token request as GET with a body',
      detail:
        'The docs show `curl -i -X GET … -d client_id=… -d client_secret=…`. RFC 6749 §3.2 requires POST, and Keycloak only ' +
        'routes POST to its token endpoint, so the console sends POST. The built-in sandbox also accepts a GET when its form ' +
        'body reaches it.',
      source: 'seeds/1uphealth-client-credentials.md',
    },
    {
      code: 'scope_pipe',
      summary: 'The scope is `bulk-data|user/*.rs`: a pipe, not a space',
      detail:
        'RFC 6749 §3.3 separates scopes with spaces. 1up’s value is one Keycloak client-scope name that contains a pipe, so ' +
        'it must be sent exactly as written (one scope); splitting it into two scopes gives invalid_scope.',
      source: 'seeds/1uphealth-client-credentials.md',
    },
    {
      code: 'since_date_only',
      summary: 'Bulk `_since` is documented as a date (YYYY-MM-DD)',
      detail:
        'The Bulk Data IG defines `_since` as a FHIR instant. 1up documents `?_since=YYYY-MM-DD`; the built-in sandbox takes ' +
        'both and reads a bare date as midnight UTC.',
    },
    {
      code: 'no_bulk_cancel',
      summary: 'No DELETE to cancel a bulk job',
      detail:
        'The Bulk Data IG cancels a job with DELETE on its status URL (202). 1up answers POST and DELETE on the export ' +
        'endpoints with 403, so a started job can only be left to finish (PUT retries a failed job).',
    },
    {
      code: 'keycloak_wrong_secret_error',
      summary: 'A wrong client secret is `unauthorized_client`, not `invalid_client`',
      detail:
        'RFC 6749 §5.2 names failed client authentication invalid_client. Keycloak answers 401 invalid_client for an ' +
        'unknown client id but 401 unauthorized_client ("Invalid client or Invalid client credentials") for a wrong or ' +
        'missing secret (ClientIdAndSecretAuthenticator). Which Keycloak version 1up runs is unconfirmed.',
      source: 'keycloak/keycloak ClientIdAndSecretAuthenticator.java, AuthenticationProcessor.java',
    },
    {
      code: 'expires_in_unconfirmed',
      summary: 'Keycloak token lifetime (300 s) is Keycloak’s default, unconfirmed for 1up',
      detail:
        'Keycloak’s realm default access-token lifespan is 5 minutes; 1up does not publish its value. The built-in sandbox ' +
        'issues 300-second tokens with refresh_expires_in 0 and no refresh token, as Keycloak does for client credentials.',
    },
    {
      code: 'auth_code_5_minutes',
      summary: 'Patient Access codes expire after 5 minutes',
      detail:
        'RFC 6749 §4.1.2 recommends at most 10 minutes; 1up’s demo plan codes live 5 minutes and work once. Exchange the ' +
        'code right after the callback.',
    },
    {
      code: 'patient_access_lifetime',
      summary: 'Patient Access tokens are opaque and last 7199 seconds',
      detail:
        'The Patient Access (legacy 1up) token response says expires_in 7199 ("valid for 2 hours"); a newer page shows 3599. ' +
        'The tokens are not JWTs, so only expires_in tells their lifetime.',
    },
  ],
};

export const oneuphealth = providerSchema.parse(oneuphealthInput);
