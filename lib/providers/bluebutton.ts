import 'server-only';
import { providerSchema, type ProviderInput } from './schema';

const allScopes = ['openid', 'profile', 'patient/Patient.rs', 'patient/ExplanationOfBenefit.rs', 'patient/Coverage.rs'];

// An app registered with "Does my application need to collect enrollee demographic data? No" gets neither
// `profile` nor `patient/Patient.rs` (../shared/seeds/bluebutton-get-started-with-sandbox.txt).
const demographicScopes = new Set(['profile', 'patient/Patient.rs']);

const grant: ProviderInput['grant'] = {
  grantType: 'authorization_code',
  clientAuth: 'basic',
  httpMethod: 'POST',
  body: 'form',
  // The BFF adds grant_type, code, redirect_uri and code_verifier itself.
  extraParams: {},
  scopes: allScopes,
  headers: { Accept: 'application/json' },
  pkce: 'S256',
  stateMinLength: 16,
  refresh: { supported: true, rotates: true },
};

const sandboxUsers = [
  { username: 'BBUser00000', password: 'PW00000!', note: 'Patient -20140000000001' },
  { username: 'BBUser00001', password: 'PW00001!', note: 'Patient -20140000000002' },
  { username: 'BBUser00002', password: 'PW00002!', note: 'Patient -20140000000003' },
  { username: 'BBUser29999', password: 'PW29999!', note: 'The last synthetic user: BBUser{n} / PW{n}! for n = 00000 … 29999' },
];

const fhirPrefixes = ['/v2/fhir/', '/v2/connect/'];

/**
 * CMS Blue Button 2.0: a Medicare beneficiary's own claims, by authorization code with PKCE (S256 required) and
 * a confidential client. Tokens are opaque; refresh tokens are single-use.
 * @see ../shared/PROVIDERS.md section "2. CMS Blue Button 2.0" (relative to the repository root)
 */
const bluebuttonInput: ProviderInput = {
  id: 'bluebutton',
  name: 'CMS Blue Button 2.0',
  summary:
    'A Medicare beneficiary shares their own Part A, B and D claims (ExplanationOfBenefit), Coverage and demographics ' +
    'with an app. Authorization code with PKCE S256 and HTTP Basic client auth; opaque 1-hour tokens, single-use refresh tokens.',
  docs: [
    { label: 'API documentation', url: 'https://bluebutton.cms.gov/api-documentation/' },
    { label: 'Developer sandbox (register an app)', url: 'https://sandbox.bluebutton.cms.gov/' },
    { label: 'Server source (bluebutton-web-server)', url: 'https://github.com/CMSgov/bluebutton-web-server' },
  ],
  environments: [
    {
      id: 'builtin',
      kind: 'builtin',
      label: 'Built-in sandbox',
      origin: null,
      // The documented forms, as against the real hosts: the sandbox serves them directly, and the slash-less
      // ones too (Blue Button's `^token/?$`), with no redirect between them.
      tokenPath: '/v2/o/token/',
      introspectionPath: '/v2/o/introspect/',
      authorizePath: '/v2/o/authorize/',
      fhirBasePath: '/v2/fhir',
      allowedPathPrefixes: fhirPrefixes,
      note:
        'Emulates sandbox.bluebutton.cms.gov inside this console: a Medicare.gov-style login for the synthetic users ' +
        'BBUser00000 … BBUser29999, the consent page with the demographic-data choice, the same errors, and ' +
        'deterministic synthetic claims. Works offline.',
    },
    {
      id: 'sandbox',
      kind: 'sandbox',
      label: 'Blue Button sandbox (sandbox.bluebutton.cms.gov)',
      origin: 'https://sandbox.bluebutton.cms.gov',
      tokenPath: '/v2/o/token/',
      introspectionPath: '/v2/o/introspect/',
      authorizePath: '/v2/o/authorize/',
      fhirBasePath: '/v2/fhir',
      allowedPathPrefixes: fhirPrefixes,
      note:
        'The real public sandbox. Needs internet and your own sandbox app (client id and secret from the sandbox ' +
        'dashboard) with this console’s callback URL registered as a redirect URI.',
    },
    {
      id: 'production',
      kind: 'production',
      label: 'Blue Button production (api.bluebutton.cms.gov)',
      origin: 'https://api.bluebutton.cms.gov',
      tokenPath: '/v2/o/token/',
      introspectionPath: '/v2/o/introspect/',
      authorizePath: '/v2/o/authorize/',
      fhirBasePath: '/v2/fhir',
      allowedPathPrefixes: fhirPrefixes,
      note: 'Real Medicare data. Only for apps approved for production access; sandbox credentials do not work here.',
    },
  ],
  grant,
  documentedTokenLifetimeSeconds: 3600,
  tokenFormat: 'opaque',
  tokenReuse: {
    reuseLiveToken: false,
    reason:
      'Blue Button access tokens are per beneficiary and last 1 hour; when one expires, use the refresh token (single-use: ' +
      'keep the new one each time) instead of sending the beneficiary through Medicare.gov again.',
  },
  presets: [
    {
      id: 'demo-demographic',
      label: 'Demo app — demographic data on',
      clientId: 'zkCJX0j9bIoE1cyv0W57KYFRA3DU1NIdCEPDXmgP',
      clientSecret:
        '3gDFdgNND316382svkbfje9ei0S8uFN9MMZAs2o3f4XWORSXQ7cEkp61c0YXshAHb7Qj9oyyP8L7EDrGmpATwHJ5bSibYxEY8fChaWkdHrrOBdmzohaPuBmn1ZYsKX8l',
      environments: ['builtin'],
      notes:
        'A built-in sandbox app registered with "collect enrollee demographic data: Yes". The beneficiary can still ' +
        'untick "Share my demographic info" on the consent page; /Patient and /connect/userinfo then answer 403.',
      facts: { demographicData: 'Yes', dataAccess: '13 months' },
      sandboxUsers,
    },
    {
      id: 'demo-no-demographic',
      label: 'Demo app — no demographic data',
      clientId: 'f0nXZaRuxPChVlBGkx4y113UpKYzHD3fk90aN64C',
      clientSecret:
        'Tiye8xReSFBGmO79iif5dND6ECQW6tpG6jdSX4JavoICe2QxMYy9jsKQShp0HUZ1hlYPwU0IOQBDSqHNo4eWLJkjNp8tPlLRqw87enWGz4NqCq4TREMsR21hW4HEcN3t',
      environments: ['builtin'],
      notes:
        'A built-in sandbox app registered with "collect enrollee demographic data: No": claims and coverage only. ' +
        'The patient id still comes back in the token response and in every ExplanationOfBenefit and Coverage.',
      facts: { demographicData: 'No', dataAccess: '13 months' },
      grant: { ...grant, scopes: allScopes.filter((scope) => !demographicScopes.has(scope)) },
      sandboxUsers,
    },
  ],
  allowCustomCredentials: true,
  defaultRequests: [
    {
      id: 'patient',
      group: 'data',
      label: 'Patient search',
      method: 'GET',
      path: '/v2/fhir/Patient',
      headers: { Accept: 'application/json' },
      description: 'The beneficiary’s demographics: a searchset Bundle with one Patient. 403 without patient/Patient.rs.',
    },
    {
      id: 'eob',
      group: 'data',
      label: 'ExplanationOfBenefit search',
      method: 'GET',
      path: '/v2/fhir/ExplanationOfBenefit?_count=10',
      headers: { Accept: 'application/json' },
      description: 'Part A, B and D claims, 10 per page; follow the Bundle’s `next` link for more.',
    },
    {
      id: 'eob-part-d',
      group: 'data',
      label: 'Part D drug events only',
      method: 'GET',
      path: '/v2/fhir/ExplanationOfBenefit?type=pde&_count=5',
      headers: { Accept: 'application/json' },
      description: 'EOB search filtered by claim type (`type=pde`; also carrier, inpatient, outpatient …), 5 per page.',
    },
    {
      id: 'coverage',
      group: 'data',
      label: 'Coverage search',
      method: 'GET',
      path: '/v2/fhir/Coverage',
      headers: { Accept: 'application/json' },
      description: 'Medicare Part A, B and D enrollment.',
    },
    {
      id: 'userinfo',
      group: 'account',
      label: 'UserInfo',
      method: 'GET',
      path: '/v2/connect/userinfo',
      headers: { Accept: 'application/json' },
      description: 'OpenID Connect-style profile: name and patient id. 403 without the profile scope.',
    },
    {
      id: 'metadata',
      group: 'discovery',
      label: 'CapabilityStatement',
      method: 'GET',
      path: '/v2/fhir/metadata',
      headers: { Accept: 'application/json' },
      description: 'What the FHIR server supports. Needs no token.',
    },
    {
      id: 'smart-configuration',
      group: 'discovery',
      label: 'SMART configuration',
      method: 'GET',
      path: '/v2/fhir/.well-known/smart-configuration',
      headers: { Accept: 'application/json' },
      description: 'Authorize and token endpoints, PKCE methods and capabilities (SMART App Launch 2.x). Needs no token.',
    },
    {
      id: 'openid-configuration',
      group: 'discovery',
      label: 'OpenID configuration',
      method: 'GET',
      path: '/v2/connect/.well-known/openid-configuration',
      headers: { Accept: 'application/json' },
      description: 'The OpenID Connect discovery document: issuer, endpoints, supported scopes. Needs no token.',
    },
  ],
  claimGlossary: {
    patient: 'the beneficiary’s Patient id (SMART launch context)',
    access_grant_expiration: 'when the beneficiary’s data-access grant ends; refreshing fails after it',
  },
  diagnosticNotes: {
    // bluebutton-web-server's answer to a refresh after the beneficiary's grant ended.
    grantEnded: {
      pattern: 'authorization for accessing user data has expired|re-authenticate',
      lifetime: 'Blue Button grants last 13 months (or one hour for one-time apps).',
    },
    // bluebutton-web-server's consent form_valid: a new authorization without demographic data ends the app's
    // earlier tokens for that beneficiary.
    tokenRefused:
      'Blue Button ends an app’s earlier tokens for a beneficiary when that beneficiary authorizes the app again ' +
      'without sharing demographic data: if another session or browser signed in as the same beneficiary, that ended this token.',
  },
  knownDeviations: [
    {
      code: 'opaque_token',
      summary: 'Access tokens are opaque, not JWTs',
      detail:
        'Blue Button (django-oauth-toolkit) issues random 30-character tokens: there are no claims to decode. Ask ' +
        'the token response (`scope`, `patient`, `expires_in`) or introspection what a token allows.',
      source: 'bluebutton-web-server apps/dot_ext; docs authorization.mdx',
    },
    {
      code: 'access_grant_expiration',
      summary: 'Non-standard `access_grant_expiration` in the token response',
      detail:
        'Not in RFC 6749 §5.1: when the beneficiary’s data-access grant ends (13 months for most apps), after which ' +
        'refreshing fails with invalid_grant and the beneficiary must consent again. May be an empty string.',
      source: 'bluebutton-web-server apps/dot_ext/views/authorization.py TokenView.post',
    },
    {
      code: 'patient_field',
      summary: '`patient` in the token response',
      detail:
        'The beneficiary’s FHIR Patient id (e.g. "-20140000000001") is added to the token response, as in SMART App ' +
        'Launch’s launch context. It stays available when the beneficiary refused to share demographics.',
    },
    {
      code: 'expires_in_float',
      summary: '`expires_in` shown as a float in older docs',
      detail:
        'The docs’ samples show 36000 and even 16768.523842; the server currently sends the integer 3600 (1 hour). ' +
        'The console rounds a fraction down.',
    },
    {
      code: 'refresh_token_single_use',
      summary: 'Refresh tokens are single-use',
      detail:
        'Each refresh returns a new refresh token and revokes the old one with its access token; reusing the old one ' +
        'answers 400 {"error": "invalid_grant"}. Store the new refresh token every time.',
    },
    {
      code: 'eob_r4_required_elements',
      summary: 'ExplanationOfBenefit leaves out elements R4 requires',
      detail:
        'Blue Button’s published EOBs have no `insurer` (R4 1..1); a carrier claim has no `provider` (1..1), an ' +
        'inpatient claim’s items no `productOrService` (1..1) and its totals no `category` (1..1). The sandbox ' +
        'serves the same shapes; an R4 validator reports these four problems and no others.',
      source: 'Blue Button’s published eob_read_*.json responses (../shared/fixtures/bluebutton)',
      r4Problems: [
        "ExplanationOfBenefit (root): should have required property 'insurer'",
        "ExplanationOfBenefit (root): should have required property 'provider'",
        "ExplanationOfBenefit .item[*]: should have required property 'productOrService'",
        "ExplanationOfBenefit .total[*]: should have required property 'category'",
      ],
    },
    {
      code: 'openid_without_id_token',
      summary: '`openid` is granted, and no ID token comes back',
      detail:
        'Blue Button lists openid in scopes_supported and the console asks for it, but its documented token response ' +
        'has no id_token (OpenID Connect Core §3.1.3.3 requires one): the beneficiary’s identity comes from ' +
        '`/v2/connect/userinfo` and the `patient` field instead.',
      source: 'bluebutton-web-server docs authorization.mdx (token response example)',
    },
  ],
};

export const bluebutton = providerSchema.parse(bluebuttonInput);
