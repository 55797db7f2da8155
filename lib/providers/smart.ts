import 'server-only';
import { providerSchema, type ProviderInput } from './schema';

const scopes = ['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/*.rs'];

const grant: ProviderInput['grant'] = {
  grantType: 'authorization_code',
  clientAuth: 'basic',
  httpMethod: 'POST',
  body: 'form',
  // The BFF adds grant_type, code, redirect_uri and code_verifier itself.
  extraParams: {},
  scopes,
  headers: { Accept: 'application/json' },
  pkce: 'S256',
  smartAudience: true,
  refresh: { supported: true, rotates: true },
};

/** The synthetic patients' logins; the sandbox's users are listed in lib/sandbox/smart/synthetic-data.ts. */
const sandboxUsers = [
  { username: 'patient1', password: 'smart-sandbox', note: 'Amy Shaw, Patient smart-1' },
  { username: 'patient2', password: 'smart-sandbox', note: 'Daniel Okafor, Patient smart-2' },
  { username: 'patient8', password: 'smart-sandbox', note: 'patient1 … patient8, all with the password smart-sandbox' },
];

/**
 * The built-in SMART on FHIR reference server: SMART App Launch 2.x (standalone patient launch, PKCE S256,
 * OpenID Connect, rotating refresh tokens) and SMART Backend Services (private_key_jwt, client_credentials) with
 * RFC 7591 dynamic registration, strictly per the specifications.
 * @see https://hl7.org/fhir/smart-app-launch/
 */
const smartInput: ProviderInput = {
  id: 'smart',
  name: 'SMART reference server',
  smartAppLaunch: true,
  summary:
    'The console’s built-in, standards-following SMART on FHIR server: SMART App Launch 2.x standalone patient launch ' +
    '(authorization code, PKCE S256, aud, OpenID Connect id_token, rotating refresh tokens) and SMART Backend Services ' +
    '(client_credentials with a private_key_jwt assertion, for clients registered at its RFC 7591 endpoint). It refuses ' +
    'what a strict server refuses and says exactly why.',
  docs: [
    { label: 'SMART App Launch 2.x', url: 'https://hl7.org/fhir/smart-app-launch/' },
    { label: 'SMART Backend Services', url: 'https://hl7.org/fhir/smart-app-launch/backend-services.html' },
    { label: 'Scopes and launch context', url: 'https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html' },
  ],
  environments: [
    {
      id: 'builtin',
      kind: 'builtin',
      label: 'Built-in sandbox',
      origin: null,
      tokenPath: '/auth/token',
      authorizePath: '/auth/authorize',
      jwksPath: '/.well-known/jwks.json',
      introspectionPath: '/auth/introspect',
      pushedAuthorizationPath: '/auth/par',
      dpopSigningAlgs: ['ES256', 'ES384', 'RS256', 'PS256'],
      fhirBasePath: '/fhir',
      allowedPathPrefixes: ['/fhir'],
      note:
        'Runs inside this console and works offline: eight synthetic patients (patient1 … patient8, password ' +
        'smart-sandbox), discovery at /fhir/.well-known/smart-configuration, dynamic registration at /auth/register.',
    },
  ],
  grant,
  documentedTokenLifetimeSeconds: 3600,
  tokenFormat: 'jwt',
  tokenReuse: {
    reuseLiveToken: false,
    reason:
      'Patient tokens last 1 hour and belong to one sign-in; when one expires, use the refresh token. Refresh tokens ' +
      'rotate: keep the new one every time, because presenting a used one revokes the whole grant.',
  },
  presets: [
    {
      id: 'confidential-app',
      label: 'Confidential app (client secret)',
      clientId: 'smart-confidential-app',
      clientSecret: 'sQ7v2Lk9pX4mR8tW1zB6nC3yH5jD0fG2aE9uK4wN7qT1rV8s',
      environments: ['builtin'],
      notes: 'A confidential SMART app (client-confidential-symmetric): HTTP Basic with its secret at the token endpoint.',
      facts: { clientType: 'confidential', tokenEndpointAuthMethod: 'client_secret_basic' },
      sandboxUsers,
    },
    {
      id: 'public-app',
      label: 'Public app (no secret, PKCE only)',
      clientId: 'smart-public-app',
      clientSecret: '',
      environments: ['builtin'],
      notes: 'A public SMART app (client-public), as a browser or native app: no secret, only client_id and PKCE.',
      facts: { clientType: 'public', tokenEndpointAuthMethod: 'none' },
      grant: { ...grant, clientAuth: 'none' },
      sandboxUsers,
    },
    {
      id: 'dpop-par-app',
      label: 'DPoP + PAR app (sender-constrained)',
      clientId: 'smart-dpop-par-app',
      clientSecret: 'vR3nT8qL5wZ1kD6hJ9sB2xC7mF4pG0yA8eU3tN6rQ1zW5bK9',
      environments: ['builtin'],
      notes:
        'A confidential app registered with dpop_bound_access_tokens and require_pushed_authorization_requests: the ' +
        'console pushes its authorization request (RFC 9126) and sends a DPoP proof (RFC 9449) with every token and ' +
        'FHIR request, signed by a key it keeps server-side. Its tokens are DPoP tokens, useless without that key.',
      facts: { clientType: 'confidential', tokenEndpointAuthMethod: 'client_secret_basic', tokenType: 'DPoP' },
      grant: { ...grant, dpop: true },
      sandboxRegistration: { dpop_bound_access_tokens: true, require_pushed_authorization_requests: true },
      sandboxUsers,
    },
  ],
  allowCustomCredentials: false,
  defaultRequests: [
    {
      id: 'metadata',
      group: 'discovery',
      label: 'CapabilityStatement',
      method: 'GET',
      path: '/fhir/metadata',
      headers: { Accept: 'application/fhir+json' },
      description: 'What the FHIR server supports, with the SMART oauth-uris extension. Needs no token.',
    },
    {
      id: 'smart-configuration',
      group: 'discovery',
      label: 'SMART configuration',
      method: 'GET',
      path: '/fhir/.well-known/smart-configuration',
      headers: { Accept: 'application/json' },
      description: 'Endpoints, auth methods, scopes and capabilities (SMART App Launch 2.x). Needs no token.',
    },
    {
      id: 'patient-search',
      group: 'data',
      label: 'Patient search',
      method: 'GET',
      path: '/fhir/Patient',
      headers: { Accept: 'application/fhir+json' },
      description:
        'With patient/ scopes, a Bundle with only the signed-in patient (the token’s patient context); with system/ scopes, all eight.',
    },
    {
      id: 'observation-search',
      group: 'data',
      label: 'Observation search',
      method: 'GET',
      path: '/fhir/Observation',
      headers: { Accept: 'application/fhir+json' },
      description:
        'Vital signs. A patient/ token sees its own patient’s; naming another patient (`?patient=smart-3`) is refused with 403.',
    },
  ],
  knownDeviations: [],
};

export const smart = providerSchema.parse(smartInput);
