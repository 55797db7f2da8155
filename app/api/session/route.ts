import { defineRoute } from '@/lib/http/define-route';
import { isSecureRequest } from '@/lib/http/origin';
import { readSessionView, sessionProviderIds } from '@/lib/oauth/session-view';
import { getVault } from '@/lib/session';
import { clearSessionCookie } from '@/lib/session/cookie';
import type { SessionDto } from '@/lib/contract/schemas';

export const dynamic = 'force-dynamic';

/** The session as the page may see it: token DTOs (never tokens), the redacted timeline, simulated failures. */
export const GET = defineRoute({ session: 'optional' }, async ({ session, workspaceId }): Promise<SessionDto> => {
  if (!session) return { serverNow: Date.now(), sessionTag: null, tokens: [], exchanges: [], flowErrors: [], simulations: [], endedTokens: [] };
  return readSessionView(session.sid, workspaceId);
});

/**
 * Forget the session (ASVS 7.4.1): its tokens and history leave the vault, its cookie handle is ended server-side
 * (an old copy of the cookie opens nothing) and the cookie is cleared.
 */
export const DELETE = defineRoute({ session: 'optional' }, async ({ session, request, workspaceId }) => {
  if (session) {
    const vault = getVault();
    await vault.endSessionHandle(session.cookie.handle);
    await vault.clear(session.sid, await sessionProviderIds(workspaceId));
  }
  const response = Response.json({ ok: true });
  response.headers.append('Set-Cookie', clearSessionCookie(isSecureRequest(request)));
  return response;
});
