import type { z } from 'zod';
import type { providerEnvironmentDtoSchema } from '@/lib/contract/schemas';

type EnvironmentUrls = Pick<z.infer<typeof providerEnvironmentDtoSchema>, 'tokenUrl' | 'fhirBaseUrl'>;

/** Where an environment's own paths start; whatever comes before the first of them is the mount prefix. */
const PATH_MARKERS = ['/api/', '/data/', '/auth/'] as const;

/**
 * The built-in sandboxes are mounted at `/sandbox/{providerId}` on the console's origin, whatever their own paths
 * look like (Blue Button's `/v2/o/token`, 1upHealth's `/oauth2/token` and `/r4`).
 */
const SANDBOX_MOUNT = /^\/sandbox\/[^/]+(?=\/|$)/;

/** Used only to resolve relative URLs; never fetched. */
const PLACEHOLDER_ORIGIN = 'http://environment.invalid';

function firstMarkerIndex(pathname: string, markers: readonly string[] = PATH_MARKERS): number {
  let first = -1;
  for (const marker of markers) {
    const index = pathname.indexOf(marker);
    if (index >= 0 && (first < 0 || index < first)) first = index;
  }
  return first;
}

function parseUrl(url: string, base?: string | URL): URL | null {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}

/**
 * The path the environment is mounted under: `/sandbox/bcda` for the built-in sandbox
 * (`http://127.0.0.1:3000/sandbox/bcda/auth/token`), `''` for a provider at the root of its origin.
 */
export function getEnvironmentPrefix(env: EnvironmentUrls): string {
  for (const candidate of [env.tokenUrl, env.fhirBaseUrl]) {
    const mount = SANDBOX_MOUNT.exec(parseUrl(candidate, PLACEHOLDER_ORIGIN)?.pathname ?? '');
    if (mount) return mount[0];
  }
  for (const candidate of [env.tokenUrl, env.fhirBaseUrl]) {
    const url = parseUrl(candidate, PLACEHOLDER_ORIGIN);
    if (!url) continue;
    const index = firstMarkerIndex(url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`);
    if (index >= 0) return url.pathname.slice(0, index);
  }
  return '';
}

/**
 * Turns a URL the provider handed out (a job's Content-Location, a manifest file URL) into the path the FHIR proxy
 * takes: relative to the environment's origin and mount prefix, query kept, fragment dropped.
 * `http://127.0.0.1:3000/sandbox/bcda/api/v2/jobs/7` → `/api/v2/jobs/7`. Returns null when the URL is not one of
 * the environment's paths (the proxy would refuse it anyway).
 */
export function toEnvironmentPath(url: string, env: EnvironmentUrls): string | null {
  const envUrl = parseUrl(env.tokenUrl, PLACEHOLDER_ORIGIN) ?? new URL(PLACEHOLDER_ORIGIN);
  const target = parseUrl(url.trim(), envUrl);
  if (!target || (target.protocol !== 'http:' && target.protocol !== 'https:')) return null;

  const prefix = getEnvironmentPrefix(env);
  let pathname = target.pathname;
  if (prefix && (pathname === prefix || pathname.startsWith(`${prefix}/`))) {
    pathname = pathname.slice(prefix.length) || '/';
  } else if (prefix || target.origin !== envUrl.origin) {
    // A different host name for the same server (localhost vs 127.0.0.1) or an unprefixed path: keep the
    // environment-relative part, which starts at the first known marker or at one of the environment's own roots.
    const index = firstMarkerIndex(pathname, [...PATH_MARKERS, ...getOwnRoots(env, prefix)]);
    if (index < 0) return null;
    pathname = pathname.slice(index);
  }
  return pathname + target.search;
}

/** First segments of the environment's own endpoints below the prefix: `/v2/` for `…/v2/fhir`, `/r4/` for `…/r4`. */
function getOwnRoots(env: EnvironmentUrls, prefix: string): string[] {
  const roots: string[] = [];
  for (const candidate of [env.tokenUrl, env.fhirBaseUrl]) {
    const pathname = parseUrl(candidate, PLACEHOLDER_ORIGIN)?.pathname ?? '';
    const own = prefix && pathname.startsWith(prefix) ? pathname.slice(prefix.length) : pathname;
    const segment = own.split('/')[1];
    if (segment) roots.push(`/${segment}/`);
  }
  return roots;
}

/** Origin plus mount prefix, what proxy paths are relative to: `http://127.0.0.1:3000/sandbox/bcda`. */
export function getEnvironmentRoot(env: EnvironmentUrls): string {
  const url = parseUrl(env.tokenUrl);
  const prefix = getEnvironmentPrefix(env);
  return url ? `${url.origin}${prefix}` : prefix;
}
