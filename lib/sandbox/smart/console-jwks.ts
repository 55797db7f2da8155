import 'server-only';
import { jwksIdOfPath, jwksPathOf } from '@/lib/contract/route-params';
import type { ConsoleHost } from '../host';

/**
 * The only jwks_uri the built-in SMART sandbox takes: the console's own JWKS route, `/jwks/{id}`, on an origin that
 * is the console's (SECURITY.md rule 16: no built-in server fetches an address a user chose on loopback or a
 * private network). The address registered only identifies the workspace's key set; the keys are always fetched
 * from where the console's server reaches itself, whichever host the client named.
 */

/**
 * Where the keys a registered jwks_uri names are read: `{internal origin}/jwks/{id}` when the URI is the console's
 * own JWKS route on one of the console's configured addresses, else why it is refused (for the registration answer).
 */
export function consoleJwksFetchUrl(jwksUri: string, host: ConsoleHost): { url: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(jwksUri);
  } catch {
    return { problem: `jwks_uri "${jwksUri}" is not an absolute URL.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `jwks_uri "${jwksUri}" must be an http(s) URL.` };
  if (url.username || url.password) return { problem: 'jwks_uri must not carry a user name or password.' };
  if (jwksUri.includes('#')) return { problem: 'jwks_uri must not have a fragment.' };
  if (jwksUri.includes('?')) return { problem: 'jwks_uri must not have a query: the console publishes keys at /jwks/{id} alone.' };
  // The console's own addresses, with the scheme configured for them; never the Host header.
  const own = host.originOf(url.host);
  const id = jwksIdOfPath(url.pathname);
  const internal = host.internalOrigin();
  if (own !== url.origin || id === undefined || !internal) {
    return {
      problem:
        `jwks_uri "${jwksUri}" is refused: this sandbox reads keys only from the console's own JWKS URL ` +
        "(/jwks/{id} on the console's address, as shown under Client keys), so that registering a client cannot make " +
        'it call other addresses (SSRF). Register that URL, or the keys inline as jwks.',
    };
  }
  return { url: `${internal}${jwksPathOf(id)}` };
}

