import 'server-only';
import { readCappedText } from '@/lib/contract/capped-body';

/** Reading form bodies and client credentials the way the emulated servers do. */

/** Form bodies larger than this are refused (413) rather than buffered. */
export const maxFormBytes = 64 * 1024;

/** What came in the body of a form request. */
export type FormBody =
  | { kind: 'none' }
  | { kind: 'too-large' }
  | { kind: 'form'; params: URLSearchParams }
  /** A body with another Content-Type: Keycloak then sees no form parameters at all. */
  | { kind: 'not-form' };

/**
 * Reads an `application/x-www-form-urlencoded` body, whatever the method: a GET that carries a body (the 1up
 * seed's `curl -X GET -d …`) is read like a POST. `none` when the request has no body at all.
 */
export async function readFormBody(request: Request): Promise<FormBody> {
  if (request.body === null) return { kind: 'none' };
  const text = await readCappedText(request.body, maxFormBytes);
  if (text === null) return { kind: 'too-large' };
  const mediaType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') return { kind: 'not-form' };
  return { kind: 'form', params: new URLSearchParams(text) };
}

/** The first parameter given more than once, if any (Keycloak's `checkParameterDuplicated`). */
export function findDuplicatedParameter(params: URLSearchParams): string | undefined {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * HTTP Basic client credentials as RFC 6749 §2.3.1 defines them (and Keycloak's `BasicAuthHelper.RFC6749`
 * reads them): base64 of `urlencode(id):urlencode(secret)`. Undefined when the header is absent or unreadable.
 */
export function parseBasicClientCredentials(header: string | null): { clientId: string; clientSecret: string } | undefined {
  if (!header || header.length < 6 || header.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const encoded = header.slice(6).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}
