/** One row of the query-parameter editor, decoded (`type=carrier,pde`). */
export interface QueryParam {
  key: string;
  value: string;
}

/** `/v2/fhir/ExplanationOfBenefit?_count=10` → `/v2/fhir/ExplanationOfBenefit` and `_count=10` (no `?`). */
export function splitRequestPath(path: string): { pathname: string; query: string } {
  const index = path.indexOf('?');
  return index < 0 ? { pathname: path, query: '' } : { pathname: path.slice(0, index), query: path.slice(index + 1) };
}

function decodeComponent(text: string): string {
  // Query strings are form-encoded (WHATWG URL §5.1): `+` is a space.
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** The query of a path as rows, in order, repeats kept (`_type=A&_type=B`); empty `&&` pieces are skipped. */
export function parseQueryParams(path: string): QueryParam[] {
  const { query } = splitRequestPath(path);
  return query
    .split('&')
    .filter((piece) => piece !== '')
    .map((piece) => {
      const equals = piece.indexOf('=');
      return equals < 0
        ? { key: decodeComponent(piece), value: '' }
        : { key: decodeComponent(piece.slice(0, equals)), value: decodeComponent(piece.slice(equals + 1)) };
    });
}

// FHIR search values are full of `,` `|` `:` `/` `$` (`type=…/eob-type|carrier,pde`); left readable, as a person types them.
const READABLE_IN_KEYS: Record<string, string> = { '%2C': ',', '%7C': '|', '%3A': ':', '%2F': '/', '%24': '$', '%40': '@' };
const READABLE_IN_VALUES: Record<string, string> = { ...READABLE_IN_KEYS, '%3D': '=', '%3F': '?' };

function encodeComponent(text: string, readable: Record<string, string>): string {
  return encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (escape) => readable[escape] ?? escape);
}

/** The query string of rows (no `?`); rows with neither key nor value are drafts and left out. */
export function formatQueryParams(params: readonly QueryParam[]): string {
  return params
    .filter((param) => param.key !== '' || param.value !== '')
    .map((param) => `${encodeComponent(param.key, READABLE_IN_KEYS)}=${encodeComponent(param.value, READABLE_IN_VALUES)}`)
    .join('&');
}

/** The path with its query replaced by `params`; no `?` when none is left. */
export function withQueryParams(path: string, params: readonly QueryParam[]): string {
  const query = formatQueryParams(params);
  const { pathname } = splitRequestPath(path);
  return query ? `${pathname}?${query}` : pathname;
}

/**
 * The rows to show for `path`: the editor's own rows while they still describe the path's query (so a new, empty
 * row or a half-typed key survives), else the rows parsed from the path, which someone edited by hand.
 */
export function reconcileQueryParams(path: string, draft: readonly QueryParam[]): readonly QueryParam[] {
  const current = parseQueryParams(path);
  return formatQueryParams(draft) === formatQueryParams(current) ? draft : current;
}
