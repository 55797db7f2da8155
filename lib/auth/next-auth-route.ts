import 'server-only';
import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { HttpError } from '@/lib/http/errors';
import { isSecureRequest, requestOrigin } from '@/lib/http/origin';
import { loadCatalogue } from '@/lib/smart/catalogue';
import { workspaceOwner } from '@/lib/smart/workspace';
import { getVault } from '@/lib/session';
import { clearSessionCookie, readSessionCookie } from '@/lib/session/cookie';
import { resolveSessionPasswords } from '@/lib/session/secret';
import { getConsoleAuth } from '.';
import type { ConsoleAuthConfig } from './config';
import { createNextAuthOptions } from './next-auth-options';

type RouteContext = { params: Promise<{ nextauth: string[] }> };
type Handler = (request: NextRequest, context: RouteContext) => Promise<Response>;

let memo: { config: ConsoleAuthConfig; handler: Handler } | undefined;

function nextAuthHandler(config: Extract<ConsoleAuthConfig, { enabled: true }>): Handler {
  if (memo?.config !== config) memo = { config, handler: NextAuth(createNextAuthOptions(config)) as Handler };
  return memo.handler;
}

/**
 * `/api/auth/*`: next-auth's sign-in, callback and sign-out, 404 when sign-in is off. Signing out also ends the
 * console session (ASVS 7.4.1): its vault entries go and its cookie is cleared, whichever page posted it.
 */
export async function handleNextAuthRequest(request: NextRequest, context: RouteContext): Promise<Response> {
  const config = getConsoleAuth();
  if (!config.enabled) {
    return Response.json(new HttpError(404, 'not_found', 'Sign-in is not configured on this console.').toBody(), { status: 404, headers: { 'Cache-Control': 'no-store' } });
  }
  const { nextauth = [] } = await context.params;
  const signingOut = request.method === 'POST' && nextauth[0] === 'signout' && isSameOriginPost(request);
  const secure = isSecureRequest(request);
  if (signingOut) {
    const session = await readSessionCookie(request.headers.get('cookie'), secure, resolveSessionPasswords());
    if (session) {
      const vault = getVault();
      // The session's tokens of the user's own providers go too: the workspace (providers, keys) stays.
      const catalogue = await loadCatalogue(vault, workspaceOwner(session.owner ?? null));
      await vault.clear(session.sid, catalogue.map((entry) => entry.provider.id));
    }
  }
  const response = await nextAuthHandler(config)(request, context);
  if (signingOut) response.headers.append('Set-Cookie', clearSessionCookie(secure));
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

/** A cross-site page must not end someone's session; next-auth checks its own CSRF token after this. */
function isSameOriginPost(request: Request): boolean {
  const fetchSite = request.headers.get('sec-fetch-site');
  return request.headers.get('origin') === requestOrigin(request) && (fetchSite === null || fetchSite === 'same-origin');
}
