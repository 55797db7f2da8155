// A real OpenID Connect provider (panva's oidc-provider) on loopback, for the console sign-in test: one
// confidential client registered for the console's callback, dev interactions (any login, any password), and
// name/email in the ID token as company IdPs do. Started by e2e/auth/sign-in.spec.ts; prints "ready" when up.
import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.IDP_CLIENT_ID,
      client_secret: process.env.IDP_CLIENT_SECRET,
      redirect_uris: [process.env.IDP_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  async findAccount(_ctx, id) {
    const name = id.charAt(0).toUpperCase() + id.slice(1);
    return { accountId: id, claims: () => ({ sub: id, name, preferred_username: id, email: `${id}@example.test` }) };
  },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['e2e-idp-cookie-signing-key'] },
  pkce: { required: () => true },
});

// Quiet unless something is wrong.
provider.on('server_error', (_ctx, error) => console.error('idp server_error', error));

provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
