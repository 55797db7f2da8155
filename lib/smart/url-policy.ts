/**
 * Which user-typed URLs the console will call for discovery (SECURITY.md rule 9: "a discovered issuer validated").
 * Pure: no DNS. IP literals are classified after the WHATWG parser has normalised them, so `2852039166`,
 * `0251.0376.0251.0376`, `0xa9fea9fe` and `169.254.169.254` are the same host here.
 *
 * Limit: a host *name* that resolves to a private address is not caught here; rule 9 asks for that check at
 * connect time in the outbound client, which this module cannot do.
 */

export type HostClass =
  | 'name'
  | 'public-ip'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'unique-local'
  | 'ipv4-mapped'
  | 'reserved';

export type UrlRefusalCode =
  | 'url_unparseable'
  | 'url_too_long'
  | 'url_scheme'
  | 'url_not_https'
  | 'url_userinfo'
  | 'url_fragment'
  | 'url_query'
  | 'url_loopback'
  | 'url_private_address';

export type UrlCheck = { ok: true; url: URL; hostClass: HostClass } | { ok: false; code: UrlRefusalCode; message: string };

export interface UrlPolicyOptions {
  /**
   * Explicit opt-in (the built-in sandbox and tests): allow http and https on 127.0.0.0/8, `::1` and `localhost`.
   * Off by default: rule 9 refuses loopback for user-entered URLs.
   */
  allowLoopback?: boolean;
  /** Refuse a query string (an OIDC issuer has none: OpenID Connect Discovery 1.0 §2). Default true. */
  refuseQuery?: boolean;
}

export const MAX_URL_LENGTH = 2048;

/** Cloud metadata names that are not IP literals. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'metadata.azure.com']);

/**
 * Checks a URL a user typed (or a document named) before anything is fetched from it.
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
 */
export function checkOutboundUrl(input: string, options: UrlPolicyOptions = {}): UrlCheck {
  const { allowLoopback = false, refuseQuery = true } = options;
  if (input.length > MAX_URL_LENGTH) {
    return refuse('url_too_long', `The URL is ${input.length} characters; the limit is ${MAX_URL_LENGTH}.`);
  }
  // The parser silently strips tabs/newlines and trims; a URL that needed that is not what the user meant.
  if (/[\u0000-\u0020\u007f]/.test(input)) {
    return refuse('url_unparseable', 'The URL contains spaces or control characters.');
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refuse('url_unparseable', 'This is not an absolute URL (it should start with https://).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse('url_scheme', `The scheme ${url.protocol} is not allowed; use https://.`);
  }
  const authority = input.replace(/^[a-z][a-z0-9+.-]*:\/*/i, '').split(/[/?#\\]/)[0] ?? '';
  if (url.username !== '' || url.password !== '' || authority.includes('@')) {
    return refuse('url_userinfo', 'The URL carries a user name or password; credentials never go in a URL.');
  }
  if (input.includes('#')) {
    return refuse('url_fragment', 'The URL has a #fragment; an issuer or FHIR base has none.');
  }
  if (refuseQuery && input.includes('?')) {
    return refuse('url_query', 'The URL has a ?query; an issuer or FHIR base has none.');
  }
  const hostClass = classifyHost(url.hostname);
  if (hostClass === 'loopback') {
    if (!allowLoopback) {
      return refuse('url_loopback', `${url.hostname} is this machine; only the built-in sandbox may use it.`);
    }
    return { ok: true, url, hostClass };
  }
  if (hostClass !== 'name' && hostClass !== 'public-ip') {
    return refuse('url_private_address', `${url.hostname} is a ${describeHostClass(hostClass)}; the console does not call it.`);
  }
  if (url.protocol !== 'https:') {
    return refuse('url_not_https', `${url.host} must be reached over https; plain http is only for loopback.`);
  }
  return { ok: true, url, hostClass };
}

/** Classifies a WHATWG-normalised hostname (`URL.hostname`: IPv6 in brackets, IPv4 dotted-decimal). */
export function classifyHost(hostname: string): HostClass {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (METADATA_NAMES.has(host)) return 'metadata';
  if (host.startsWith('[') && host.endsWith(']')) return classifyIpv6(host.slice(1, -1));
  const v4 = parseIpv4(host);
  return v4 ? classifyIpv4(v4) : 'name';
}

function parseIpv4(host: string): [number, number, number, number] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return parts as [number, number, number, number];
}

function classifyIpv4([a, b, c]: [number, number, number, number]): HostClass {
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return b === 254 && c === 169 ? 'metadata' : 'link-local';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // RFC 6598 shared address space
  if (a === 0 || a >= 224 || (a === 192 && b === 0 && c === 0) || (a === 198 && (b === 18 || b === 19))) return 'reserved';
  return 'public-ip';
}

function classifyIpv6(addr: string): HostClass {
  if (addr === '::1') return 'loopback';
  if (addr === '::') return 'reserved';
  // ::ffff:a.b.c.d (the parser writes ::ffff:7f00:1) and ::a.b.c.d reach IPv4 hosts; refused whatever they map to.
  if (addr.startsWith('::ffff:') || /^::[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(addr) || addr.startsWith('64:ff9b:')) {
    return 'ipv4-mapped';
  }
  const first = parseInt(addr.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return addr.startsWith('fd00:ec2:') ? 'metadata' : 'unique-local';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xff00) === 0xff00) return 'reserved';
  return 'public-ip';
}

export function describeHostClass(c: HostClass): string {
  switch (c) {
    case 'private':
      return 'private-network address';
    case 'link-local':
      return 'link-local address';
    case 'metadata':
      return 'cloud metadata address';
    case 'unique-local':
      return 'unique-local IPv6 address (fc00::/7)';
    case 'ipv4-mapped':
      return 'IPv4-mapped IPv6 address';
    case 'reserved':
      return 'reserved or unspecified address';
    default:
      return c;
  }
}

function refuse(code: UrlRefusalCode, message: string): UrlCheck {
  return { ok: false, code, message };
}
