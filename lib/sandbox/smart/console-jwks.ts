import 'server-only';
import { checkHost } from '@/lib/http/origin';
import { builtinOrigin } from '@/lib/providers/resolve';
import { jwksIdOfPath, jwksPathOf } from '@/lib/smart/jwks-route';

/**
 * The only jwks_uri the built-in SMART sandbox takes: the console's own JWKS route, `/jwks/{id}`, on an origin that
 * is the console's (SECURITY.md rule 16: no built-in server fetches an address a user chose on loopback or a
 * private network). The address registered only identifies the workspace's key set; the keys are always fetched
 * from `builtinOrigin()`, where the console's server reaches itself, whichever host the client named.
 */

/**
 * Where the keys a registered jwks_uri names are read: `builtinOrigin()/jwks/{id}` when the URI is the console's
 * own JWKS route on one of the console's addresses (`checkHost`), else why it is refused (for the registration answer).
 */
export function consoleJwksFetchUrl(jwksUri: string, env: NodeJS.ProcessEnv = process.env): { url: string } | { problem: string } {
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
  // The console's own addresses (lib/http/origin.ts), with the scheme configured for them; never the Host header.
  const own = checkHost(url.host, null, env);
  const id = jwksIdOfPath(url.pathname);
  const internal = internalOrigin(env);
  if (!own.ok || own.origin !== url.origin || id === undefined || !internal) {
    return {
      problem:
        `jwks_uri "${jwksUri}" is refused: this sandbox reads keys only from the console's own JWKS URL ` +
        "(/jwks/{id} on the console's address, as shown under Client keys), so that registering a client cannot make " +
        'it call other addresses (SSRF). Register that URL, or the keys inline as jwks.',
    };
  }
  return { url: `${internal}${jwksPathOf(id)}` };
}

/** `builtinOrigin()`, or nothing when CONSOLE_INTERNAL_ORIGIN is not a URL (then nothing is fetched). */
function internalOrigin(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return originOf(builtinOrigin(env));
  } catch {
    return undefined;
  }
}

function originOf(value: string): string | undefined {
  try {
    const { origin } = new URL(value);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
