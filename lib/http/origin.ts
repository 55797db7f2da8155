import 'server-only';
/**
 * The addresses this console answers as (SECURITY.md rule 13). A page whose name re-resolves to 127.0.0.1 (DNS
 * rebinding) sends its own Host and Origin, so neither can say who we are: the console knows its names from
 * configuration — loopback on its port, the hosts of NEXTAUTH_URL, CONSOLE_PUBLIC_ORIGIN and
 * CONSOLE_INTERNAL_ORIGIN, and CONSOLE_ALLOWED_HOSTS — and refuses every other Host with 421 (RFC 9110 §15.5.20).
 * The scheme comes from the configured origin, or from a TLS-terminating proxy's X-Forwarded-Proto only when
 * TRUST_PROXY=1 says there is one. Isomorphic of Next: `proxy.ts` and `defineRoute` both use it.
 */

type Env = Partial<Record<string, string>>;

/** A host the console answers as, and its origin when configuration fixes one (else the connection's scheme). */
type AllowedHost = { fixedOrigin: string | null };

export class ConsoleOriginConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The console's addresses are misconfigured:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConsoleOriginConfigError';
  }
}

/** The variables that decide the console's addresses; a change of any of them rebuilds the list. */
const ORIGIN_ENV_NAMES = ['PORT', 'NEXTAUTH_URL', 'CONSOLE_PUBLIC_ORIGIN', 'CONSOLE_INTERNAL_ORIGIN', 'CONSOLE_ALLOWED_HOSTS'] as const;

function configuredOrigin(name: string, raw: string, problems: string[]): URL | null {
  try {
    const url = new URL(raw.trim());
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  problems.push(`${name} must be an http(s) origin such as https://console.example.com (got "${raw}").`);
  return null;
}

/**
 * The console's hosts (lower-case `host[:port]` as a Host header carries them, default ports omitted) from the
 * environment. Throws {@link ConsoleOriginConfigError} naming every unusable value.
 */
export function allowedHosts(env: Env): Map<string, AllowedHost> {
  const problems: string[] = [];
  const hosts = new Map<string, AllowedHost>();
  const port = env.PORT?.trim() || '3000';
  if (/^\d{1,5}$/.test(port) && Number(port) <= 65_535) {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) hosts.set(new URL(`http://${name}:${port}`).host, { fixedOrigin: null });
  } else {
    problems.push(`PORT must be a port number (got "${port}").`);
  }

  for (const name of ['NEXTAUTH_URL', 'CONSOLE_PUBLIC_ORIGIN'] as const) {
    const raw = env[name]?.trim();
    const url = raw ? configuredOrigin(name, raw, problems) : null;
    if (url) hosts.set(url.host, { fixedOrigin: url.origin });
  }
  const internal = env.CONSOLE_INTERNAL_ORIGIN?.trim();
  const internalUrl = internal ? configuredOrigin('CONSOLE_INTERNAL_ORIGIN', internal, problems) : null;
  if (internalUrl && !hosts.has(internalUrl.host)) hosts.set(internalUrl.host, { fixedOrigin: internalUrl.origin });

  for (const entry of (env.CONSOLE_ALLOWED_HOSTS ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    if (/^https?:\/\//i.test(entry)) {
      const url = configuredOrigin('CONSOLE_ALLOWED_HOSTS', entry, problems);
      if (url) hosts.set(url.host, { fixedOrigin: url.origin });
      continue;
    }
    let url: URL | null = null;
    try {
      url = new URL(`http://${entry}`);
    } catch {
      // reported below
    }
    if (!url || /[/?#@\s]/.test(entry)) {
      problems.push(`CONSOLE_ALLOWED_HOSTS takes host[:port] names or origins, comma-separated (got "${entry}").`);
      continue;
    }
    if (!hosts.has(url.host)) hosts.set(url.host, { fixedOrigin: null });
  }
  if (problems.length > 0) throw new ConsoleOriginConfigError(problems);
  return hosts;
}

let memo: { key: string; hosts: Map<string, AllowedHost> } | undefined;

function hostsOf(env: Env): Map<string, AllowedHost> {
  const key = JSON.stringify(ORIGIN_ENV_NAMES.map((name) => env[name] ?? null));
  if (memo?.key !== key) memo = { key, hosts: allowedHosts(env) };
  return memo.hosts;
}

export type HostCheck = { ok: true; origin: string } | { ok: false; reason: string };

/**
 * Whether a request's Host is one of the console's, and the console origin it names. X-Forwarded-Proto counts
 * only with TRUST_PROXY=1, and only for a host whose origin configuration does not fix.
 */
export function checkHost(host: string | null, forwardedProto: string | null, env: Env = process.env): HostCheck {
  if (!host) return { ok: false, reason: 'the request has no Host header' };
  const normalized = host.trim().toLowerCase();
  const allowed = hostsOf(env).get(normalized);
  if (!allowed) return { ok: false, reason: `"${host.slice(0, 200)}" is not an address of this console` };
  if (allowed.fixedOrigin) return { ok: true, origin: allowed.fixedOrigin };
  const proto = env.TRUST_PROXY === '1' ? forwardedProto?.split(',')[0]?.trim().toLowerCase() : undefined;
  return { ok: true, origin: `${proto === 'https' ? 'https' : 'http'}://${normalized}` };
}

/** Raised where a request reaches the console under a name it does not answer to. */
export class MisdirectedRequestError extends Error {
  constructor(readonly reason: string) {
    super(`Misdirected request: ${reason}. Open the console at the address it was configured for.`);
    this.name = 'MisdirectedRequestError';
  }
}

/**
 * This console's origin for a request, from configuration: the Host only picks which of the configured origins.
 * Throws {@link MisdirectedRequestError} for any other Host.
 */
export function consoleOrigin(request: Request, env: Env = process.env): string {
  const check = checkHost(request.headers.get('host') ?? hostOfUrl(request.url), request.headers.get('x-forwarded-proto'), env);
  if (!check.ok) throw new MisdirectedRequestError(check.reason);
  return check.origin;
}

/** A `Request` made in code (tests, undici) carries no Host header; its URL's host is the one it was sent to. */
function hostOfUrl(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * The origin a request was addressed to, whatever it is: for the built-in sandboxes, which echo it in the URLs they
 * answer with, as the providers they emulate do. Never a security decision: proxy.ts has already refused a Host the
 * console does not answer as, and CSRF, cookies and redirects use {@link consoleOrigin}.
 */
export function addressedOrigin(request: Request, env: Env = process.env): string {
  const host = (request.headers.get('host') ?? hostOfUrl(request.url) ?? 'localhost').toLowerCase();
  const check = checkHost(host, request.headers.get('x-forwarded-proto'), env);
  if (check.ok) return check.origin;
  return `${new URL(request.url).protocol}//${host}`;
}

/** Whether cookies must be `Secure` (and `__Host-`): the browser talks https to us. */
export function isSecureRequest(request: Request, env: Env = process.env): boolean {
  return consoleOrigin(request, env).startsWith('https:') || env.COOKIE_SECURE === '1';
}
