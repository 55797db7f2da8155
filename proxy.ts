import { NextResponse, type NextRequest } from 'next/server';
import { checkHost } from '@/lib/http/origin';
import { contentSecurityPolicy, misdirectedResponse, newCspNonce, noContentPolicy, policyKindOf, sandboxPagePolicy, securityHeaders } from '@/lib/http/security-headers.mjs';

/**
 * Runs before every request the console serves (pages, API, JWKS, sandboxes, static files):
 * - refuses a Host the console was not configured for with 421 (SECURITY.md rule 13, DNS rebinding);
 * - sends the console's own paths with a trailing slash to their canonical form (308), as Next would; the built-in
 *   sandboxes answer both forms as their providers do (issue #14);
 * - gives each answer its Content-Security-Policy (rule 12): pages a fresh nonce, which Next reads from the
 *   request's CSP header and puts on every script it renders; the sandboxes' pages and the JSON answers theirs.
 * Authorization is not decided here: route handlers and pages check sign-in themselves (STYLE.md 11).
 */
export function proxy(request: NextRequest): Response {
  const host = checkHost(request.headers.get('host'), request.headers.get('x-forwarded-proto'));
  if (!host.ok) return misdirectedResponse(host.reason);

  const { pathname } = request.nextUrl;
  // Next's own canonical form for the console's paths (next.config.mjs turns it off so the sandboxes can differ).
  if (pathname.length > 1 && pathname.endsWith('/') && !pathname.startsWith('/sandbox/')) {
    // On the console's configured origin, leading slashes collapsed: `//evil.example/` must stay on this site.
    const canonical = new URL(`/${pathname.replace(/^\/+|\/+$/g, '')}${request.nextUrl.search}`, host.origin);
    return new Response(null, { status: 308, headers: { ...securityHeaders, 'Content-Security-Policy': noContentPolicy, Location: canonical.toString() } });
  }
  const kind = policyKindOf(pathname);
  if (kind !== 'page') {
    const response = NextResponse.next();
    response.headers.set('Content-Security-Policy', kind === 'sandbox' ? sandboxPagePolicy : noContentPolicy);
    return response;
  }
  const policy = contentSecurityPolicy(newCspNonce(), process.env.NODE_ENV !== 'production');
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: '/:path*',
};
