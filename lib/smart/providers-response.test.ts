import { encode } from 'next-auth/jwt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignedInUser } from '@/lib/auth/signed-in-user';
import { sessionOwnerOf } from '@/lib/auth/session-binding';
import { getVault } from '@/lib/session';
import { readProvidersForPage } from './providers-response';
import { customProviderRecord } from './test-helpers';
import { workspaceOwner } from './workspace';

const nextAuthSecret = 'a-next-auth-secret-of-at-least-32-chars';
const alice: SignedInUser = { issuer: 'http://127.0.0.1:4455', subject: 'alice', providerId: 'oidc', name: 'Alice', email: null, signedInAt: 1_000 };
const bob: SignedInUser = { ...alice, subject: 'bob', name: 'Bob' };

async function signedIn(user: SignedInUser): Promise<string> {
  return `next-auth.session-token=${await encode({ token: { ...user }, secret: nextAuthSecret })}`;
}

describe('readProvidersForPage', () => {
  it('reads the list the route answers, with the URLs of the Host the page was asked on', async () => {
    const catalogue = await readProvidersForPage(new Headers({ host: 'localhost:3000' }));
    expect(catalogue?.providers.map((p) => p.id)).toEqual(expect.arrayContaining(['bcda', 'bluebutton', 'candid', '1uphealth', 'healthsherpa']));
    const bcda = catalogue?.providers.find((p) => p.id === 'bcda');
    expect(bcda?.environments.find((env) => env.kind === 'builtin')?.tokenUrl).toMatch(/:3000\/sandbox\/bcda\//);
  });

  it('renders nothing (the page then asks the route, which explains) for a Host the console does not answer as', async () => {
    expect(await readProvidersForPage(new Headers({ host: 'evil.example' }))).toBeNull();
  });

  describe('with console sign-in', () => {
    beforeEach(() => {
      vi.stubEnv('CONSOLE_AUTH_OIDC_ISSUER', alice.issuer);
      vi.stubEnv('CONSOLE_AUTH_OIDC_CLIENT_ID', 'console');
      vi.stubEnv('CONSOLE_AUTH_OIDC_CLIENT_SECRET', 'idp-secret');
      vi.stubEnv('NEXTAUTH_URL', 'http://localhost:3000');
      vi.stubEnv('NEXTAUTH_SECRET', nextAuthSecret);
    });
    afterEach(() => vi.unstubAllEnvs());

    it('shows each signed-in user their own providers, never another’s, and nobody’s to a visitor', async () => {
      const record = customProviderRecord({
        id: 'custom-alicepayer',
        name: 'Alice’s payer',
        config: { grant: 'client_credentials', clientAuth: 'client_secret_basic', pkce: 'none', scopes: ['system/*.rs'], launch: 'standalone' },
        server: { token_endpoint: 'https://auth.payer.example/token', smart_versions: ['v2'], sources: {} },
      });
      await getVault().putWorkspace(workspaceOwner(sessionOwnerOf(alice)), { jwksId: 'AliceJwksId0123456789a', keys: [], providers: [record] });

      const forAlice = await readProvidersForPage(new Headers({ host: 'localhost:3000', cookie: await signedIn(alice) }));
      expect(forAlice?.providers.map((p) => p.id)).toContain('custom-alicepayer');
      const forBob = await readProvidersForPage(new Headers({ host: 'localhost:3000', cookie: await signedIn(bob) }));
      expect(forBob?.providers.map((p) => p.id)).not.toContain('custom-alicepayer');
      expect(forBob?.providers.map((p) => p.id)).toContain('bcda');
      expect(await readProvidersForPage(new Headers({ host: 'localhost:3000' }))).toBeNull();
    });
  });
});
