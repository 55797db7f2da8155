// A real, standards-compliant OAuth 2.0 authorization server (panva's oidc-provider 9.13.3) on loopback, for the
// custom-provider tests of issue #8: discovery (/.well-known/openid-configuration), authorization code with PKCE
// S256 required, refresh token rotation, client credentials, private_key_jwt (RS384 / ES384) and RFC 7591 dynamic
// registration, with SMART-style scopes. Configuration only: every behaviour the tests see is the package's own.
//
// Started by lib/smart/real-server.test.ts and e2e/flows/custom-provider-real-as.spec.ts; prints "ready <issuer>".
//
// Env:
//   SMART_AS_PORT            port on 127.0.0.1 (required)
//   SMART_AS_ISSUED_SECRETS_FILE  optional: every code, access and refresh token issued is appended there as
//                            `<kind> <value>`, the format of the sandboxes' list, so the e2e log scan and the
//                            browser check search for this server's tokens too (test instrumentation, via events)
//   SMART_AS_REDIRECT_URIS   space-separated redirect URIs for the two static clients (optional). A custom
//                            provider's callback (/api/oauth/custom-xxxxxxxxxx/callback) is only known after it is
//                            saved, so the tests register their auth-code clients dynamically instead; the static
//                            clients are for trying the console by hand.
//
// Choices, each a documented oidc-provider option:
// - `fetch`: oidc-provider 9 refuses outgoing requests to special-use addresses (loopback included) by passing an
//   SSRF-guarding undici dispatcher to `fetch`. The console's JWKS URL is on localhost here, so this test server
//   drops that dispatcher. A production AS would keep it.
// - `rotateRefreshToken: true`: every refresh answers with a new refresh token and consumes the old one (the
//   default rotates confidential clients' tokens only after 70% of their lifetime).
// - `features.dPoP` (RFC 9449, on by default) with a `nonceSecret` and `requireNonce: () => true`: every DPoP
//   proof must carry a server nonce, so a client meets the use_dpop_nonce challenge on its first request.
// - `features.pushedAuthorizationRequests` (RFC 9126) is on by default; a client registered with
//   `require_pushed_authorization_requests` must use it.
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.SMART_AS_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('SMART_AS_PORT must be a port number');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = (process.env.SMART_AS_REDIRECT_URIS ?? `${issuer}/unused-callback`).split(/\s+/).filter(Boolean);

/** SMART App Launch scopes this server grants (v2 syntax), plus the OpenID ones. */
const SMART_SCOPES = ['openid', 'fhirUser', 'offline_access', 'launch/patient', 'patient/*.rs', 'system/Patient.rs'];

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'smart-confidential',
      client_secret: 'smart-as-static-client-secret-7d1e0b9c4a',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: SMART_SCOPES.join(' '),
    },
    {
      client_id: 'smart-public',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: SMART_SCOPES.filter((s) => !s.startsWith('system/')).join(' '),
    },
  ],
  scopes: SMART_SCOPES,
  claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: () => ({ sub: id, fhirUser: `Practitioner/${id}` }) };
  },
  clientAuthMethods: ['client_secret_basic', 'private_key_jwt', 'none'],
  enabledJWA: { clientAuthSigningAlgValues: ['RS384', 'ES384'] },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    registration: { enabled: true },
    revocation: { enabled: true },
    dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
    pushedAuthorizationRequests: { enabled: true },
  },
  pkce: { required: () => true },
  rotateRefreshToken: true,
  fetch: (url, options) => {
    delete options.dispatcher; // the SSRF guard (see above): the console's JWKS URL is on loopback in these tests
    return globalThis.fetch(url, options);
  },
  cookies: { keys: ['e2e-smart-as-cookie-signing-key'] },
  conformIdTokenClaims: false,
});

// One line per refused request, with oidc-provider's own detail (the response says only "client authentication
// failed"): the tests read these to assert why a client assertion was refused.
for (const event of ['grant.error', 'registration_create.error', 'authorization.error', 'pushed_authorization_request.error', 'server_error']) {
  provider.on(event, (_ctx, error) => {
    console.log(`${event} ${error.error ?? error.name}: ${error.error_detail ?? error.error_description ?? error.message}`);
  });
}

// Opaque tokens (the format here): the value handed out is the model's jti.
const issuedFile = process.env.SMART_AS_ISSUED_SECRETS_FILE;
if (issuedFile) {
  const kinds = { 'authorization_code.saved': 'code', 'access_token.saved': 'access_token', 'client_credentials.saved': 'access_token', 'refresh_token.saved': 'refresh_token' };
  for (const [event, kind] of Object.entries(kinds)) provider.on(event, (token) => appendFileSync(issuedFile, `${kind} ${token.jti}\n`));
}

provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
