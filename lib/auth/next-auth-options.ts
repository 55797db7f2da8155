import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import GitHubProvider from 'next-auth/providers/github';
import { log } from '@/lib/log';
import { SESSION_TTL_SECONDS } from '@/lib/session/cookie';
import { SIGN_IN_PAGE, type ConsoleAuthConfig, type SignInProvider } from './config';
import type { SignedInUser } from './signed-in-user';

type EnabledConfig = Extract<ConsoleAuthConfig, { enabled: true }>;

interface OidcProfile {
  sub: string;
  name?: string;
  preferred_username?: string;
  email?: string;
}

function toNextAuthProvider(provider: SignInProvider): NextAuthOptions['providers'][number] {
  if (provider.kind === 'github') return GitHubProvider({ clientId: provider.clientId, clientSecret: provider.clientSecret });
  const oidc: OAuthConfig<OidcProfile> = {
    id: provider.id,
    name: provider.name,
    type: 'oauth',
    wellKnown: `${provider.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    authorization: { params: { scope: 'openid profile email' } },
    idToken: true,
    // RFC 9700 §2.1.1: PKCE and state; nonce binds the ID token to this browser's request.
    checks: ['pkce', 'state', 'nonce'],
    profile: (profile) => ({ id: profile.sub, name: profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub, email: profile.email ?? null }),
  };
  return oidc;
}

/**
 * next-auth for the console: JWT sessions (no database) that carry who signed in and when, never the IdP's
 * tokens; the console's own sign-in page; logs through pino.
 */
export function createNextAuthOptions(config: EnabledConfig): NextAuthOptions {
  return {
    secret: config.secret,
    useSecureCookies: config.secureCookies,
    session: { strategy: 'jwt', maxAge: SESSION_TTL_SECONDS },
    pages: { signIn: SIGN_IN_PAGE, error: SIGN_IN_PAGE },
    providers: config.providers.map(toNextAuthProvider),
    callbacks: {
      jwt({ token, account }) {
        if (!account) return token;
        const provider = config.providers.find((p) => p.id === account.provider);
        if (!provider) throw new Error(`sign-in through an unknown provider "${account.provider}"`);
        // A fresh token per sign-in: only what lib/auth/signed-in-user.ts reads, plus next-auth's own `sub`.
        const user: SignedInUser = {
          issuer: provider.issuer,
          subject: account.providerAccountId,
          providerId: provider.id,
          name: token.name ?? null,
          email: token.email ?? null,
          signedInAt: Date.now(),
        };
        return { sub: token.sub, ...user };
      },
    },
    logger: {
      error: (code, metadata) => log.warn({ code, message: metadata instanceof Error ? metadata.message : metadata.error?.message }, 'sign-in error'),
      warn: (code) => log.warn({ code }, 'sign-in warning'),
      debug: () => {},
    },
  };
}
