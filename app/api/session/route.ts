import { defineRoute } from '@/lib/http/define-route';
import { isSecureRequest } from '@/lib/http/origin';
import { describeStoredToken } from '@/lib/oauth/session-tokens';
import { providers } from '@/lib/providers';
import { getVault } from '@/lib/session';
import { clearSessionCookie, sessionTag } from '@/lib/session/cookie';
import type { SessionDto } from '@/lib/api-client/schemas';

export const dynamic = 'force-dynamic';

const providerIds = providers.map((p) => p.id);

/** The session as the page may see it: token DTOs (never tokens), the redacted timeline, simulated failures. */
export const GET = defineRoute({ session: 'optional' }, async ({ session }): Promise<SessionDto> => {
  if (!session) return { serverNow: Date.now(), sessionTag: null, tokens: [], exchanges: [], flowErrors: [], simulations: [], endedTokens: [] };
  const vault = getVault();
  const [tokens, exchanges, flowErrors, simulations, endedTokens] = await Promise.all([
    vault.getTokens(session.sid, providerIds),
    vault.listExchanges(session.sid),
    vault.takeFlowErrors(session.sid, providerIds),
    vault.listSimulations(session.sid, providerIds),
    vault.getEndedTokens(session.sid, providerIds),
  ]);
  return { serverNow: Date.now(), sessionTag: sessionTag(session.sid), tokens: tokens.map((t) => describeStoredToken(t)), exchanges, flowErrors, simulations, endedTokens };
});

/** Forget the session: its tokens and history leave the vault, the cookie is cleared. */
export const DELETE = defineRoute({ session: 'optional' }, async ({ session, request }) => {
  if (session) await getVault().clear(session.sid, providerIds);
  const response = Response.json({ ok: true });
  response.headers.append('Set-Cookie', clearSessionCookie(isSecureRequest(request)));
  return response;
});
