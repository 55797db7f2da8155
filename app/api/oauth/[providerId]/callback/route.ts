import type { ApiError } from '@/lib/contract/schemas';
import { defineProviderRoute } from '@/lib/http/provider-route';
import { HttpError } from '@/lib/http/errors';
import { isSecureRequest, consoleOrigin } from '@/lib/http/origin';
import { log } from '@/lib/log';
import { completeAuthorization } from '@/lib/oauth/authorization-code';
import { flowOfCredential } from '@/lib/oauth/session-tokens';

import { clearTransactionCookie, readTransactionCookie } from '@/lib/session/cookie';
import { resolveSessionPasswords } from '@/lib/session/secret';

export const dynamic = 'force-dynamic';

/**
 * The provider sends the browser here. Whatever happens, the browser goes back to the console page (a fixed,
 * same-origin path) and the transaction cookie is deleted; a failure is kept in the vault for the page to explain.
 * The session's cookie handle is replaced before anything else: a cookie planted before the login (cookies on
 * localhost are shared by every port) or copied from this browser opens nothing afterwards (ASVS 7.2.4).
 */
export const GET = defineProviderRoute({ session: 'optional' }, async ({ session, rotateSession, request, vault, entry, provider, simulations }) => {
  const secure = isSecureRequest(request);
  const back = new URL(`/?provider=${encodeURIComponent(provider.id)}`, consoleOrigin(request));
  const response = new Response(null, { status: 303, headers: { Location: back.toString() } });
  response.headers.append('Set-Cookie', clearTransactionCookie(provider.id, secure));
  if (!session) {
    back.searchParams.set('flow', 'no-session');
    response.headers.set('Location', back.toString());
    return response;
  }
  // The page brings what came back (the token, or why there is none) into view once.
  back.searchParams.set('flow', 'returned');
  response.headers.set('Location', back.toString());
  await rotateSession();
  const query = new URL(request.url).searchParams;
  const expectedState = await readTransactionCookie(request.headers.get('cookie'), provider.id, secure, resolveSessionPasswords());
  try {
    const callbackUrl = new URL(request.url);
    const seenAt = new URL(callbackUrl.pathname + callbackUrl.search, consoleOrigin(request)).toString();
    await completeAuthorization(
      { vault, sid: session.sid, simulations },
      provider.id,
      query,
      expectedState,
      (pending) => flowOfCredential(entry, pending.environmentId, pending.credential),
      { url: seenAt, location: back.toString() },
    );
    await vault.dropFlowError(session.sid, provider.id);
  } catch (error) {
    if (!(error instanceof HttpError)) {
      log.error({ err: error instanceof Error ? error.message : String(error) }, 'authorization callback failed');
    }
    const body: ApiError = error instanceof HttpError ? error.toBody() : { error: { code: 'internal_error', message: 'The callback failed in the console. The log has the details.' } };
    await vault.putFlowError(session.sid, provider.id, body);
  }
  return response;
});
