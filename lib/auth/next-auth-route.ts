import 'server-only';
import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { HttpError } from '@/lib/http/errors';
import { consoleOrigin, isSecureRequest, MisdirectedRequestError } from '@/lib/http/origin';
import { loadCatalogue } from '@/lib/smart/catalogue';
import { workspaceOwner } from '@/lib/smart/workspace';
import { getVault } from '@/lib/session';
import { clearSessionCookie, readSessionCookie } from '@/lib/session/cookie';
import { resolveSessionPasswords } from '@/lib/session/secret';
import { getConsoleAuth } from '.';
import type { ConsoleAuthConfig } from './config';
import { createNextAuthOptions } from './next-auth-options';
import { sessionTokenCookieName } from './signed-in-user';

type RouteContext = { params: Promise<{ nextauth: string[] }> };
type Handler = (request: NextRequest, context: RouteContext) => Promise<Response>;

let memo: { config: ConsoleAuthConfig; handler: Handler } | undefined;

function nextAuthHandler(config: Extract<ConsoleAuthConfig, { enabled: true }>): Handler {
  if (memo?.config !== config) memo = { config, handler: NextAuth(createNextAuthOptions(config)) as Handler };
  return memo.handler;
}

/**
 * `/api/auth/*`: next-auth's sign-in, callback and sign-out, 404 when sign-in is off. Signing out ends the console
 * session (ASVS 7.4.1): its vault entries and its cookie handle go, whichever page posted it. Finishing a sign-in
 * ends the handle the browser had before (ASVS 7.2.4): the new sign-in starts a new session, and a cookie planted
 * or copied before it opens nothing.
 */
export async function handleNextAuthRequest(request: NextRequest, context: RouteContext): Promise<Response> {
  const config = getConsoleAuth();
  if (!config.enabled) {
    return Response.json(new HttpError(404, 'not_found', 'Sign-in is not configured on this console.').toBody(), { status: 404, headers: { 'Cache-Control': 'no-store' } });
  }
  let secure: boolean;
  try {
    secure = isSecureRequest(request);
  } catch (error) {
    if (!(error instanceof MisdirectedRequestError)) throw error;
    return Response.json({ error: { code: 'misdirected_request', message: error.message } }, { status: 421, headers: { 'Cache-Control': 'no-store' } });
  }
  const { nextauth = [] } = await context.params;
  const signingOut = request.method === 'POST' && nextauth[0] === 'signout' && isSameOriginPost(request);
  if (signingOut) await endConsoleSession(request, secure, { clearData: true });
  const response = await nextAuthHandler(config)(request, context);
  const signedIn = nextauth[0] === 'callback' && response.headers.getSetCookie().some((c) => c.startsWith(`${sessionTokenCookieName(config)}=`));
  if (signedIn) await endConsoleSession(request, secure, { clearData: false });
  if (signingOut || signedIn) response.headers.append('Set-Cookie', clearSessionCookie(secure));
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

/** Ends the console session the request's cookie opens: its handle always, its tokens and timeline on sign-out. */
async function endConsoleSession(request: Request, secure: boolean, { clearData }: { clearData: boolean }): Promise<void> {
  const cookie = await readSessionCookie(request.headers.get('cookie'), secure, resolveSessionPasswords());
  if (!cookie) return;
  const vault = getVault();
  const sid = await vault.openSessionHandle(cookie.handle);
  await vault.endSessionHandle(cookie.handle);
  if (!sid || !clearData) return;
  // The session's tokens of the user's own providers go too: the workspace (providers, keys) stays.
  const catalogue = await loadCatalogue(vault, workspaceOwner(cookie.owner ?? null));
  await vault.clear(sid, catalogue.map((entry) => entry.provider.id));
}

/** A cross-site page must not end someone's session; next-auth checks its own CSRF token after this. */
function isSameOriginPost(request: Request): boolean {
  const fetchSite = request.headers.get('sec-fetch-site');
  return request.headers.get('origin') === consoleOrigin(request) && (fetchSite === null || fetchSite === 'same-origin');
}
