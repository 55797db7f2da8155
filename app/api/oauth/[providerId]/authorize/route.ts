import { authorizeRequestSchema, type AuthorizeResponse } from '@/lib/contract/schemas';
import { defineProviderRoute } from '@/lib/http/provider-route';
import { isSecureRequest, consoleOrigin } from '@/lib/http/origin';
import { startAuthorization } from '@/lib/oauth/authorization-code';
import { serializeTransactionCookie } from '@/lib/session/cookie';
import { resolveSessionPasswords } from '@/lib/session/secret';

export const dynamic = 'force-dynamic';

/**
 * Starts an authorization-code run: state and PKCE stay on the server, the browser gets the authorize URL to
 * navigate to and a sealed transaction cookie that binds the run to it.
 */
export const POST = defineProviderRoute(
  { body: authorizeRequestSchema, session: 'create' },
  async ({ body, session, request, vault, flowOf, simulations }) => {
    const flow = flowOf(body.environmentId, body.credential);
    const started = await startAuthorization({ vault, sid: session.sid, simulations }, flow, consoleOrigin(request));
    // A new run: the failure of the last one is no longer the news.
    await vault.dropFlowError(session.sid, flow.provider.id);
    const response = Response.json({ authorizeUrl: started.authorizeUrl, redirectUri: started.redirectUri } satisfies AuthorizeResponse);
    response.headers.append('Set-Cookie', await serializeTransactionCookie(flow.provider.id, started.state, isSecureRequest(request), resolveSessionPasswords()));
    return response;
  },
);
