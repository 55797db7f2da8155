import { providerSchema, type ProviderInput } from './schema';

const sandboxEnvironments = ['builtin', 'sandbox'];

/**
 * CMS Beneficiary Claims Data API. Token: client credentials with HTTP Basic and an empty body.
 * @see ../shared/seeds/bcda-get-a-bearer-token.md
 */
const bcdaInput: ProviderInput = {
  id: 'bcda',
  name: 'CMS BCDA',
  summary:
    'Beneficiary Claims Data API: Medicare claims for ACOs and other model entities, as FHIR R4 bulk export. ' +
    'Client credentials with HTTP Basic; 20-minute JWTs signed RS512.',
  docs: [
    { label: 'How to get a bearer token', url: 'https://bcda.cms.gov/get-a-bearer-token' },
    { label: 'Access claims data', url: 'https://bcda.cms.gov/access-claims-data' },
    { label: 'Sandbox credentials', url: 'https://bcda.cms.gov/production-access' },
  ],
  environments: [
    {
      id: 'builtin',
      kind: 'builtin',
      label: 'Built-in sandbox',
      origin: null,
      tokenPath: '/auth/token',
      fhirBasePath: '/api/v2',
      jwksPath: '/.well-known/jwks.json',
      allowedPathPrefixes: ['/api/', '/data/', '/auth/welcome'],
      note: 'Emulates sandbox.bcda.cms.gov inside this console: same paths, bodies, errors and 20-minute tokens, with deterministic synthetic data. Works offline.',
    },
    {
      id: 'sandbox',
      kind: 'sandbox',
      label: 'BCDA sandbox (sandbox.bcda.cms.gov)',
      origin: 'https://sandbox.bcda.cms.gov',
      tokenPath: '/auth/token',
      fhirBasePath: '/api/v2',
      allowedPathPrefixes: ['/api/', '/data/', '/auth/welcome'],
      note: 'The real public sandbox. Needs internet. BCDA publishes no JWKS (it checks tokens by SSAS introspection), so signatures cannot be verified here.',
    },
    {
      id: 'production',
      kind: 'production',
      label: 'BCDA production (api.bcda.cms.gov)',
      origin: 'https://api.bcda.cms.gov',
      tokenPath: '/auth/token',
      fhirBasePath: '/api/v2',
      allowedPathPrefixes: ['/api/', '/data/', '/auth/welcome'],
      note: 'Real Medicare claims. Only for onboarded organisations, with the credentials issued to them; sandbox credentials do not work here.',
    },
  ],
  grant: {
    grantType: 'client_credentials',
    clientAuth: 'basic',
    httpMethod: 'POST',
    body: 'empty',
    extraParams: {},
    scopes: [],
    headers: { Accept: 'application/json' },
  },
  documentedTokenLifetimeSeconds: 1200,
  tokenFormat: 'jwt',
  tokenReuse: {
    reuseLiveToken: true,
    reason:
      'BCDA rate-limits /auth/token per ACO and asks clients to cache tokens: "Access tokens last 20 minutes; please cache and reuse them."',
  },
  presets: [
    {
      id: 'extra-small',
      label: 'Extra-small model entity (50 enrollees)',
      clientId: '2462c96b-6427-4efb-aed7-118e20c2e997',
      clientSecret: '825598c105bd1fe021c9eb9d41b30e82beb7a505a1184282e69891f76aa0a396dc9d20f35c9df4a5',
      environments: sandboxEnvironments,
      notes: 'Adjudicated claims, simple data set: 50 synthetic enrollees. The credentials in the docs’ examples.',
      facts: { enrollees: 50, dataSet: 'Adjudicated, simple', acoId: 'SBXBD001' },
    },
    {
      id: 'extra-large',
      label: 'Extra-large model entity (30,000 enrollees)',
      clientId: 'aa2d6b93-bbe7-4d1b-8cc5-9a5172fae3a6',
      clientSecret: 'f35e507b5a744c311a89f8f1d8743f011daa390b128ce092e221120e88bd53cf22e3af58cd07c618',
      environments: sandboxEnvironments,
      notes: 'Adjudicated claims, simple data set: 30,000 synthetic enrollees, for stress-testing ingestion.',
      facts: { enrollees: 30000, dataSet: 'Adjudicated, simple', acoId: 'SBXBD002' },
    },
    {
      id: 'advanced-extra-small',
      label: 'Advanced extra-small model entity (100 enrollees)',
      clientId: 'e75679c2-1b58-4cf5-8664-d3706de8caf5',
      clientSecret: '50eeab7d37a8bf17c8dad970116508f9656a1b0954fe9a467e4658643a4a877945a5096707da9e91',
      environments: sandboxEnvironments,
      notes: 'Adjudicated claims, advanced data set (realistic disease and demographic mix): 100 synthetic enrollees.',
      facts: { enrollees: 100, dataSet: 'Adjudicated, advanced', acoId: 'SBXAD001' },
    },
    {
      id: 'advanced-large',
      label: 'Large advanced model entity (10,000 enrollees)',
      clientId: '0a0c75f0-da95-4198-9c0f-666b41e21017',
      clientSecret: '4c1145e6e294ec6852c0bf1c24b38c7f5af99a8a69423616ebb42af84db74fc903aad99b1632bf51',
      environments: sandboxEnvironments,
      notes: 'Adjudicated claims, advanced data set: 10,000 synthetic enrollees, for in-depth exploration and early load tests.',
      facts: { enrollees: 10000, dataSet: 'Adjudicated, advanced', acoId: 'SBXAD002' },
    },
    {
      id: 'reach-extra-small',
      label: 'Extra-small REACH ACO (110 enrollees)',
      clientId: '7e57394f-eddb-46c7-a87b-a23f14ded95d',
      clientSecret: '433982182bf5e7b26da58a292e9a73b641f8711a3061c5c925a57a82478193b86d84cbdd3cf4006f',
      environments: sandboxEnvironments,
      notes: 'Partially adjudicated claims (ACO REACH): 110 synthetic enrollees; Claim and ClaimResponse on v2.',
      facts: { enrollees: 110, dataSet: 'Partially adjudicated (REACH)', acoId: 'SBXBR001' },
    },
    {
      id: 'reach-large',
      label: 'Large REACH ACO (11,000 enrollees)',
      clientId: '2121efbd-98d2-4323-84db-974c8864abc7',
      clientSecret: '6eed5c5dd69422ca0f7cb0c4912e3e06c3cd043f2d22d71eee22ea224285e4b9e74667c0de004034',
      environments: sandboxEnvironments,
      notes: 'Partially adjudicated claims (ACO REACH): 11,000 synthetic enrollees; Claim and ClaimResponse on v2.',
      facts: { enrollees: 11000, dataSet: 'Partially adjudicated (REACH)', acoId: 'SBXBR002' },
    },
  ],
  allowCustomCredentials: true,
  defaultRequests: [
    {
      id: 'metadata',
      label: 'CapabilityStatement',
      method: 'GET',
      path: '/api/v2/metadata',
      headers: { Accept: 'application/fhir+json' },
      description: 'What the server supports. Needs no token.',
    },
    {
      id: 'patient-export',
      label: 'Patient $export',
      method: 'GET',
      path: '/api/v2/Patient/$export',
      headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' },
      description: 'Bulk export of every enrollee’s Patient, Coverage and ExplanationOfBenefit resources.',
      bulkExport: true,
    },
    {
      id: 'patient-export-patient-only',
      label: 'Patient $export, Patient only',
      method: 'GET',
      path: '/api/v2/Patient/$export?_type=Patient',
      headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' },
      description: 'Bulk export limited to Patient resources with `_type`.',
      bulkExport: true,
    },
    {
      id: 'group-export',
      label: 'Group/all $export',
      method: 'GET',
      path: '/api/v2/Group/all/$export',
      headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' },
      description: 'Bulk export of the ACO’s attributed group.',
      bulkExport: true,
    },
    {
      id: 'welcome',
      label: 'Token check (/auth/welcome)',
      method: 'GET',
      path: '/auth/welcome',
      headers: { Accept: 'application/json' },
      description: 'Answers 200 when the bearer token is valid.',
    },
  ],
  bulkExport: {
    bases: [
      {
        id: 'v2',
        label: 'v2 (FHIR R4)',
        path: '/api/v2',
        levels: ['patient', 'group'],
        groups: [
          { id: 'all', label: 'all: every attributed enrollee' },
          { id: 'runout', label: 'runout: claims run-out of last year’s enrollees' },
        ],
        resourceTypes: ['Patient', 'Coverage', 'ExplanationOfBenefit', 'Claim', 'ClaimResponse'],
        note: 'Claim and ClaimResponse only for partially adjudicated (REACH) model entities.',
      },
      {
        id: 'v3',
        label: 'v3 (FHIR R4, recommended since 2026-07)',
        path: '/api/v3',
        levels: ['patient', 'group'],
        groups: [
          { id: 'all', label: 'all: every attributed enrollee' },
          { id: 'runout', label: 'runout: claims run-out of last year’s enrollees' },
        ],
        resourceTypes: ['Patient', 'Coverage', 'ExplanationOfBenefit'],
      },
      {
        id: 'v1',
        label: 'v1 (FHIR STU3)',
        path: '/api/v1',
        levels: ['patient', 'group'],
        groups: [
          { id: 'all', label: 'all: every attributed enrollee' },
          { id: 'runout', label: 'runout: claims run-out of last year’s enrollees' },
        ],
        resourceTypes: ['Patient', 'Coverage', 'ExplanationOfBenefit', 'Observation'],
        environments: ['sandbox', 'production'],
        note: 'STU3; the built-in sandbox does not emulate v1.',
      },
    ],
    outputFormats: ['application/fhir+ndjson', 'application/ndjson', 'ndjson'],
    cancel: { supported: true, note: 'DELETE on the job URL answers 202; a job that is no longer running answers 410.' },
  },
  knownDeviations: [
    {
      code: 'expires_in_string',
      summary: '`expires_in` is a string ("1200")',
      detail: 'RFC 6749 §5.1 makes expires_in a number of seconds. BCDA sends the JSON string "1200"; the console reads it as 1200 seconds.',
      source: 'bcda-ssas-app ssas/service/public/api.go',
    },
    {
      code: 'token_type_case',
      summary: '`token_type` is lower-case "bearer"',
      detail: 'RFC 6749 §7.1 treats token_type case-insensitively, but many clients compare with "Bearer". Send the header as "Bearer <token>": BCDA requires the capital B.',
    },
    {
      code: 'no_grant_type',
      summary: 'No `grant_type` in the token request',
      detail: 'RFC 6749 §4.4.2 requires grant_type=client_credentials in a form body. BCDA takes an empty POST body and only the Basic credentials.',
    },
    {
      code: 'plain_text_errors',
      summary: 'Token errors are text/plain',
      detail: 'RFC 6749 §5.2 error responses are JSON with an `error` code. BCDA answers "Unauthorized" or "Bad Request" as plain text.',
    },
    {
      code: 'expires_header_format',
      summary: 'Job `Expires` header is not an HTTP-date',
      detail: 'A finished export job’s Expires header uses Go’s time format ("2026-08-22 20:44:01.705398 +0000 UTC"), not RFC 9110’s HTTP-date.',
    },
  ],
};

export const bcda = providerSchema.parse(bcdaInput);
