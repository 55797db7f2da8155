import 'server-only';
/**
 * CSRF for route handlers, which get no check from Next.js (SECURITY.md rule 3): a state-changing request needs
 * the custom header (a cross-site form cannot set it and a cross-site fetch cannot without a preflight we never
 * grant), a same-origin Sec-Fetch-Site when the browser sends one, and an Origin equal to ours (`null` refused).
 */
export const CSRF_HEADER = 'x-console-request';

export type CsrfCheck = { ok: true } | { ok: false; reason: string };

export function checkCsrf(request: Request, ownOrigin: string): CsrfCheck {
  if (request.headers.get(CSRF_HEADER) !== '1') {
    return { ok: false, reason: `missing the ${CSRF_HEADER}: 1 header` };
  }
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite !== null && fetchSite !== 'same-origin') {
    return { ok: false, reason: `Sec-Fetch-Site is "${fetchSite}"` };
  }
  const origin = request.headers.get('origin');
  if (origin === null) return { ok: false, reason: 'no Origin header' };
  if (origin !== ownOrigin) return { ok: false, reason: `Origin "${origin}" is not this console` };
  return { ok: true };
}
