/**
 * This console's origin as the browser sees it. Next's `request.url` is built from the address the server
 * bound (e.g. 0.0.0.0), so the Host header is the truth; the scheme comes from a TLS-terminating proxy's
 * X-Forwarded-Proto only when TRUST_PROXY=1 says there is one.
 */
export function requestOrigin(request: Request, env: Partial<Record<string, string>> = process.env): string {
  const url = new URL(request.url);
  const forwardedProto = env.TRUST_PROXY === '1' ? request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
  const protocol = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : url.protocol.replace(':', '');
  const host = request.headers.get('host') ?? url.host;
  return `${protocol}://${host}`;
}

/** Whether cookies must be `Secure` (and `__Host-`): the browser talks https to us. */
export function isSecureRequest(request: Request, env: Partial<Record<string, string>> = process.env): boolean {
  return requestOrigin(request, env).startsWith('https:') || env.COOKIE_SECURE === '1';
}
