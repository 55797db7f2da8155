/**
 * The grammar of a path the BFF may call on an environment (SECURITY.md rule 9: SSRF). A path is relative to
 * the environment's base, starts with one of its allowed prefixes, and has no way to climb out of it. The page runs
 * the same check to offer only the examples a credential set can send.
 */

export type PathCheck = { ok: true; pathname: string; search: string } | { ok: false; reason: string };

/** Rules for the whole request target. */
const FORBIDDEN: [RegExp, string][] = [
  [/^[a-z][a-z0-9+.-]*:/i, 'absolute URLs are not allowed; give a path such as /api/v2/metadata'],
  [/^\/\//, 'a path may not start with "//"'],
  [/#/, 'fragments ("#") are not sent to servers'],
  [/[\s\u0000-\u001f\u007f]/, 'whitespace and control characters are not allowed'],
];

/** Rules for the path part only: a query may well carry "@" or an encoded "/" (`_format=application%2Fjson`). */
const FORBIDDEN_IN_PATH: [RegExp, string][] = [
  [/\\/, 'backslashes are not allowed'],
  [/@/, '"@" is not allowed in a path'],
  [/%2e|%2f|%5c|%00/i, 'encoded ".", "/", "\\" or NUL are not allowed in a path'],
];

export function checkEnvironmentPath(path: string, allowedPrefixes: readonly string[]): PathCheck {
  for (const [pattern, reason] of FORBIDDEN) if (pattern.test(path)) return { ok: false, reason };
  if (!path.startsWith('/')) return { ok: false, reason: 'the path must start with "/"' };
  const q = path.indexOf('?');
  const pathname = q === -1 ? path : path.slice(0, q);
  const search = q === -1 ? '' : path.slice(q);
  for (const [pattern, reason] of FORBIDDEN_IN_PATH) if (pattern.test(pathname)) return { ok: false, reason };
  if (/%00|\\/.test(search)) return { ok: false, reason: 'NUL and backslashes are not allowed in a query' };
  if (pathname.includes('//')) return { ok: false, reason: 'empty path segments ("//") are not allowed' };
  if (pathname.split('/').some((segment) => segment === '..' || segment === '.')) {
    return { ok: false, reason: '"." and ".." segments are not allowed' };
  }
  if (!allowedPrefixes.some((prefix) => pathname === prefix.replace(/\/$/, '') || pathname.startsWith(prefix))) {
    return { ok: false, reason: `the path must start with one of ${allowedPrefixes.join(', ')}` };
  }
  return { ok: true, pathname, search };
}

/** Joins a checked path to the environment's base and confirms the result stayed under it. */
export function joinEnvironmentUrl(baseUrl: string, pathname: string, search: string): URL | null {
  const base = new URL(baseUrl);
  const url = new URL(base.toString().replace(/\/$/, '') + pathname + search);
  const basePath = base.pathname.replace(/\/$/, '');
  if (url.origin !== base.origin || !url.pathname.startsWith(basePath + '/')) return null;
  return url;
}
