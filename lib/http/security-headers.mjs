// The security headers of every answer (SECURITY.md rule 12). Plain JavaScript because next.config.mjs and
// scripts/server.mjs read it before TypeScript is loaded; proxy.ts adds the per-request nonce policy.

/** Sent on every answer, errors included. Browsers ignore HSTS over plain http, so it is safe to send always. */
export const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

/** For answers that are never a page (an error before routing): nothing may load, nothing may frame it. */
export const noContentPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The policy of an answer whose scripts carry `nonce` (Next puts it on every script it renders): only those run,
 * and what they load ('strict-dynamic'); no inline script, no eval outside development (React's dev tools need
 * it), styles only from the console's own stylesheets or nonce'd style elements. CSP Level 3.
 * @see https://www.w3.org/TR/CSP3/#strict-dynamic-usage
 */
export function contentSecurityPolicy(nonce, development = false) {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The built-in sandboxes' login and consent pages stand for other companies' sites: plain HTML with their own
 * inline style sheet and no script at all, so no script may run there, nothing may load, and a form may post only
 * back to this origin, from where the sandbox redirects to the registered callback. Browsers hold that redirect to
 * form-action too (CSP3 §6.4.1), so the one other registered callback is allowed: the loopback listener of an
 * exported program (PROGRAM_REDIRECT_URI in lib/contract/oauth.ts).
 */
export const SANDBOX_PROGRAM_CALLBACK_ORIGIN = 'http://127.0.0.1:8765';

export const sandboxPagePolicy = `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' ${SANDBOX_PROGRAM_CALLBACK_ORIGIN}; frame-ancestors 'none'; base-uri 'none'`;

/**
 * The policy for a path, and whether it needs a nonce: console pages get the nonce policy, the sandboxes theirs,
 * and answers that are never a page (the BFF's JSON, JWKS) the policy that allows nothing.
 */
export function policyKindOf(pathname) {
  if (pathname.startsWith('/api/') || pathname.startsWith('/jwks/')) return 'none';
  if (pathname.startsWith('/sandbox/')) return 'sandbox';
  return 'page';
}

/** 128 random bits, base64: unguessable and new for every answer. */
export function newCspNonce() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** A refusal before any route runs, with every security header: a short text that says why. */
export function refusal(status, message) {
  return new Response(`${message}\n`, {
    status,
    headers: { ...securityHeaders, 'Content-Security-Policy': noContentPolicy, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** 421 (RFC 9110 §15.5.20) for a Host this console does not answer as: DNS rebinding, or a misconfiguration. */
export function misdirectedResponse(reason) {
  return refusal(
    421,
    `421 Misdirected Request: ${reason}. This console answers only at the addresses it was configured for ` +
      '(localhost on its port, NEXTAUTH_URL, CONSOLE_PUBLIC_ORIGIN, CONSOLE_ALLOWED_HOSTS).',
  );
}
