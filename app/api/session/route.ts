import { defineRoute } from '@/lib/http/define-route';
import { isSecureRequest } from '@/lib/http/origin';
import { describeStoredToken } from '@/lib/oauth/session-tokens';
import { loadCatalogue } from '@/lib/smart/catalogue';
import { workspaceOwner } from '@/lib/smart/workspace';
import { getVault } from '@/lib/session';
import { clearSessionCookie, sessionTag } from '@/lib/session/cookie';
import type { SessionDto } from '@/lib/contract/schemas';

export const dynamic = 'force-dynamic';

/** Every provider the session may hold a token for: the console's and the user's own. */
async function providerIdsOf(owner: Parameters<typeof workspaceOwner>[0]): Promise<string[]> {
  return (await loadCatalogue(getVault(), workspaceOwner(owner))).map((entry) => entry.provider.id);
}

/** The session as the page may see it: token DTOs (never tokens), the redacted timeline, simulated failures. */
export const GET = defineRoute({ session: 'optional' }, async ({ session, owner }): Promise<SessionDto> => {
  if (!session) return { serverNow: Date.now(), sessionTag: null, tokens: [], exchanges: [], flowErrors: [], simulations: [], endedTokens: [] };
  const vault = getVault();
  const providerIds = await providerIdsOf(owner);
  const [tokens, exchanges, flowErrors, simulations, endedTokens] = await Promise.all([
    vault.getTokens(session.sid, providerIds),
    vault.listExchanges(session.sid),
    vault.listFlowErrors(session.sid, providerIds),
    vault.listSimulations(session.sid, providerIds),
    vault.getEndedTokens(session.sid, providerIds),
  ]);
  return { serverNow: Date.now(), sessionTag: sessionTag(session.sid), tokens: tokens.map((t) => describeStoredToken(t)), exchanges, flowErrors, simulations, endedTokens };
});

/**
 * Forget the session (ASVS 7.4.1): its tokens and history leave the vault, its cookie handle is ended server-side
 * (an old copy of the cookie opens nothing) and the cookie is cleared.
 */
export const DELETE = defineRoute({ session: 'optional' }, async ({ session, request, owner }) => {
  if (session) {
    const vault = getVault();
    await vault.endSessionHandle(session.cookie.handle);
    await vault.clear(session.sid, await providerIdsOf(owner));
  }
  const response = Response.json({ ok: true });
  response.headers.append('Set-Cookie', clearSessionCookie(isSecureRequest(request)));
  return response;
});
