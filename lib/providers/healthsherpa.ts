import 'server-only';
import { providerSchema, type ProviderInput } from './schema';

/** The body of the seed's create-contact curl, shown with the default request (the schema has no body field). */
export const healthsherpaSeedContact = { contact: { external_id: 'CRM123', first_name: 'John', last_name: 'Doe' } };

const apiHostNote =
  'OAuth runs on this host; the Partner API answers on its own host (%API%/v2), where API requests go. ' +
  'HealthSherpa’s OpenAPI file also names /oauth/authorize and /oauth/token on the API host.';

/**
 * HealthSherpa for Medicare, Partner API v2. Authorization code with the client secret in the form body (and
 * PKCE S256, which HealthSherpa does not document), scope `partner_api_v2`, 1-hour opaque Doorkeeper tokens and
 * rotating refresh tokens. The OAuth endpoints and
 * the API live on different hosts.
 * @see ../shared/seeds/healthsherpa-authentication.md
 * @see ../shared/PROVIDERS.md section "5. HealthSherpa"
 */
const healthsherpaInput: ProviderInput = {
  id: 'healthsherpa',
  name: 'HealthSherpa Medicare',
  summary:
    'HealthSherpa for Medicare Partner API v2: create and search an agent’s contacts. Authorization code with ' +
    'the client secret in the form body, scope partner_api_v2, 1-hour tokens and rotating refresh tokens.',
  docs: [
    { label: 'Authentication (OAuth 2.0)', url: 'https://docs.medicare.healthsherpa.com/api-reference/version-2-oauth/authentication' },
    { label: 'Create contact', url: 'https://docs.medicare.healthsherpa.com/api-reference/version-2-oauth/endpoints/create-contact' },
    { label: 'Search contact', url: 'https://docs.medicare.healthsherpa.com/api-reference/version-2-oauth/endpoints/search-contact' },
  ],
  environments: [
    {
      id: 'builtin',
      kind: 'builtin',
      label: 'Built-in sandbox',
      origin: null,
      tokenPath: '/oauth/token',
      authorizePath: '/oauth/authorize',
      fhirBasePath: '/v2',
      allowedPathPrefixes: ['/v2/'],
      note:
        'Emulates HealthSherpa’s OAuth server (Doorkeeper) and the Partner API v2 inside this console: agent login, ' +
        'consent, single-use codes, rotating refresh tokens, and deterministic synthetic contacts per agent. The ' +
        'OAuth and API hosts are both served here. Works offline.',
    },
    {
      id: 'staging',
      kind: 'sandbox',
      label: 'HealthSherpa staging (medicare-staging.healthsherpa.com)',
      origin: 'https://medicare-staging.healthsherpa.com',
      apiOrigin: 'https://api.medicare-staging.healthsherpa.com',
      tokenPath: '/oauth/token',
      authorizePath: '/oauth/authorize',
      fhirBasePath: '/v2',
      allowedPathPrefixes: ['/v2/'],
      note: `Needs staging credentials issued by HealthSherpa and internet. ${apiHostNote.replace('%API%', 'https://api.medicare-staging.healthsherpa.com')}`,
    },
    {
      id: 'production',
      kind: 'production',
      label: 'HealthSherpa production (medicare.healthsherpa.com)',
      origin: 'https://medicare.healthsherpa.com',
      apiOrigin: 'https://api.medicare.healthsherpa.com',
      tokenPath: '/oauth/token',
      authorizePath: '/oauth/authorize',
      fhirBasePath: '/v2',
      allowedPathPrefixes: ['/v2/'],
      note: `Real agents and beneficiaries. Only for registered partners, with their own credentials. ${apiHostNote.replace('%API%', 'https://api.medicare.healthsherpa.com')}`,
    },
  ],
  grant: {
    grantType: 'authorization_code',
    clientAuth: 'form',
    httpMethod: 'POST',
    body: 'form',
    extraParams: {},
    scopes: ['partner_api_v2'],
    headers: { Accept: 'application/json' },
    // HealthSherpa documents no PKCE; the console sends S256 anyway (knownDeviations: pkce_undocumented).
    pkce: 'S256',
    stateMinLength: 0,
    refresh: { supported: true, rotates: true },
  },
  documentedTokenLifetimeSeconds: 3600,
  tokenFormat: 'opaque',
  tokenReuse: {
    reuseLiveToken: true,
    reason:
      'Access tokens last an hour; when one expires, HealthSherpa asks clients to use the refresh token (and keep the new one it returns) rather than send the agent through the authorization flow again.',
  },
  presets: [
    {
      id: 'demo-partner-app',
      label: 'Demo partner app',
      clientId: 'cQK7sOEJx0PdK9usDVcus3mwpzvQ7PtMORm1ixE5hwM',
      clientSecret: 'Hh2bgCWnZwj4Xe_NW2Cy2FNhY_u6tQg19UCHAhIe2Z0',
      environments: ['builtin'],
      notes:
        'An invented partner application registered with the built-in sandbox only (Doorkeeper-style 43-character uid and secret). Its redirect URI is this console’s HealthSherpa callback. Sign in as one of the two demo agents; each has its own contacts.',
      facts: { scope: 'partner_api_v2', agents: 2 },
      sandboxUsers: [
        { username: 'agent@demo-agency.test', password: 'Sherpa-Demo-1!', note: 'Avery Quinn, Demo Agency: six synthetic contacts.' },
        { username: 'broker@demo-agency.test', password: 'Sherpa-Demo-2!', note: 'Jordan Blake, Demo Agency: six other synthetic contacts.' },
      ],
    },
  ],
  apiKind: 'json',
  allowCustomCredentials: true,
  defaultRequests: [
    {
      id: 'list-contacts',
      group: 'data',
      label: 'List contacts',
      method: 'GET',
      path: '/v2/contacts',
      headers: { Accept: 'application/json' },
      description: 'The signed-in agent’s contacts, 25 per page (`page`, `per_page`).',
    },
    {
      id: 'list-contacts-page-2',
      group: 'data',
      label: 'List contacts, page 2',
      method: 'GET',
      path: '/v2/contacts?page=2&per_page=10',
      headers: { Accept: 'application/json' },
      description: 'The contact list paged with `page` and `per_page` (10 here instead of the default 25).',
    },
    {
      id: 'create-contact',
      group: 'write',
      label: 'Create contact',
      method: 'POST',
      path: '/v2/contacts',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      description: 'Creates a contact for the agent with the docs’ example body; answers 201. external_id, first_name and last_name are required.',
      body: JSON.stringify(healthsherpaSeedContact),
    },
    {
      id: 'search-contacts',
      group: 'data',
      label: 'Search contacts by last name',
      method: 'GET',
      path: '/v2/contacts?last_name=Doe',
      headers: { Accept: 'application/json' },
      description:
        'The contact list filtered by last name (or medicare_number): finds the contact the create request made. HealthSherpa also documents a search by medicare_number alone, or first_name and last_name with one of birth_date, email or phone (path unconfirmed; the built-in sandbox serves it at /v2/contacts/search).',
    },
    {
      id: 'search-contacts-by-name',
      group: 'data',
      label: 'Documented contact search',
      method: 'GET',
      path: '/v2/contacts/search?first_name=John&last_name=Doe&email=john.doe@example.com',
      headers: { Accept: 'application/json' },
      description:
        'The documented search: first_name and last_name with one of birth_date, email or phone (or medicare_number alone). 400 when the combination is incomplete.',
    },
  ],
  claimGlossary: {
    created_at: 'when the token was created, epoch seconds; expires_in counts from it (Doorkeeper)',
  },
  knownDeviations: [
    {
      code: 'token_looks_like_jwt',
      summary: 'The docs’ example token looks like a JWT; tokens are opaque',
      detail:
        'The authentication page shows "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…" as access_token, but the OAuth server is Doorkeeper, whose tokens are random strings. Treat them as opaque: there are no claims to decode. The built-in sandbox issues 43-character base64url strings as Doorkeeper does.',
      source: 'seeds/healthsherpa-authentication.md; PROVIDERS.md §5',
    },
    {
      code: 'api_error_envelope',
      summary: 'API errors are {"error":{"message","code"}}, not RFC 6750',
      detail:
        'RFC 6750 §3 has a 401 carry WWW-Authenticate with error="invalid_token". The Partner API answers 401 with a JSON envelope instead: {"error":{"message":"The access token is invalid.","code":"invalid_token"}} for a bad, expired or revoked token and code "missing_authorization" without an Authorization header. A newer doc page describes Doorkeeper’s {"error","error_description"} for 401/403; the built-in sandbox follows the authentication page.',
      source: 'seeds/healthsherpa-authentication.md, Troubleshooting',
    },
    {
      code: 'pkce_undocumented',
      summary: 'HealthSherpa documents no PKCE; the console sends S256 anyway',
      detail:
        'The authentication page describes the authorization-code flow without code_challenge or code_verifier. Its OAuth server (Doorkeeper) checks a challenge when one is sent, so the console sends PKCE S256 on every run, as RFC 9700 §2.1.1 asks: a code that leaks from this browser, or is injected into another session, cannot be redeemed without this run’s verifier. A Doorkeeper without its PKCE columns ignores the challenge: the flow still works, but then nothing binds the code. The built-in sandbox checks it as Doorkeeper does.',
      source: 'seeds/healthsherpa-authentication.md; RFC 9700 §2.1.1',
    },
    {
      code: 'separate_api_host',
      summary: 'The API is on another host than OAuth',
      detail:
        'Authorize and token are on medicare(-staging).healthsherpa.com, the Partner API on api.medicare(-staging).healthsherpa.com. A token from the OAuth host is sent to the API host.',
    },
    {
      code: 'refresh_rotation',
      summary: 'Refresh tokens rotate; a used one fails',
      detail:
        'Every refresh returns a new refresh_token and revokes the one sent (and the access token issued with it). Store the new one before anything else: sending the old one again answers 400 invalid_grant.',
      source: 'seeds/healthsherpa-authentication.md, "Refresh Tokens"',
    },
    {
      code: 'created_at',
      summary: 'Token responses carry `created_at`',
      detail: 'Doorkeeper adds created_at (epoch seconds), which RFC 6749 §5.1 does not define. expires_in counts from it.',
    },
  ],
};

export const healthsherpa = providerSchema.parse(healthsherpaInput);
