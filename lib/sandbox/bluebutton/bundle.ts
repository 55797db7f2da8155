import 'server-only';
import { fhirInstant } from './fhir-codes';

/**
 * Searchset Bundles paged the way Blue Button pages them: `_count` (default 10) and `startIndex`, with
 * `first`, `previous`, `next`, `last` and `self` links carrying `_format`, `startIndex`, `_count` and the search.
 * Like the real ones they carry no `total` (paging goes by the links), and `self` names the search path with its
 * trailing slash and the page's parameters sorted by name.
 * @see ../shared/fixtures/bluebutton/eob_search_v2.json
 */

export const defaultPageSize = 10;
// Large enough for any synthetic beneficiary in one page, small enough to bound a response.
const maxPageSize = 100;

/** One page of a search: how many entries, from which offset. */
export interface Page {
  count: number;
  startIndex: number;
}

function nonNegativeInteger(value: string | null): number | undefined {
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** `_count` and `startIndex` from a search URL; missing or malformed values fall back to the first page of 10. */
export function readPage(params: URLSearchParams): Page {
  const count = nonNegativeInteger(params.get('_count'));
  return {
    count: count === undefined || count === 0 ? defaultPageSize : Math.min(count, maxPageSize),
    startIndex: nonNegativeInteger(params.get('startIndex')) ?? 0,
  };
}

/** Everything a searchset Bundle is built from. */
export interface SearchsetInput {
  /** Absolute URL of the resource type's search, e.g. `https://…/v2/fhir/ExplanationOfBenefit`. */
  searchUrl: string;
  /** Search parameters repeated in every paging link, e.g. `[['patient', '-2014…']]`. */
  searchParams: ReadonlyArray<[string, string]>;
  resources: readonly unknown[];
  page: Page;
  nowMs: number;
}

function pageParams(input: SearchsetInput, startIndex: number): [string, string][] {
  return [['_format', 'application/json+fhir'], ['startIndex', String(startIndex)], ['_count', String(input.page.count)], ...input.searchParams];
}

function pageLink(input: SearchsetInput, relation: string, startIndex: number) {
  return { relation, url: `${input.searchUrl}?${new URLSearchParams(pageParams(input, startIndex)).toString()}` };
}

/** The real `self`: `…/Type/?` and this page's parameters sorted by name (Python's sort: by code point, stable). */
function selfLink(input: SearchsetInput) {
  const sorted = pageParams(input, input.page.startIndex).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { relation: 'self', url: `${input.searchUrl}/?${new URLSearchParams(sorted).toString()}` };
}

/** A `searchset` Bundle holding one page of `resources`, with paging links on the sandbox base URL. */
export function createSearchsetBundle(input: SearchsetInput): Record<string, unknown> {
  const { count, startIndex } = input.page;
  const total = input.resources.length;
  const lastStart = total === 0 ? 0 : Math.floor((total - 1) / count) * count;
  const links = [pageLink(input, 'first', 0)];
  if (startIndex > 0) links.push(pageLink(input, 'previous', Math.max(0, Math.min(startIndex, total) - count)));
  if (startIndex + count < total) links.push(pageLink(input, 'next', startIndex + count));
  links.push(pageLink(input, 'last', lastStart), selfLink(input));
  const entries = input.resources.slice(startIndex, startIndex + count).map((resource) => ({ resource }));
  return {
    resourceType: 'Bundle',
    id: crypto.randomUUID(),
    meta: { lastUpdated: fhirInstant(input.nowMs) },
    type: 'searchset',
    link: links,
    // FHIR JSON has no empty arrays: a page with no results has no `entry` at all.
    ...(entries.length > 0 ? { entry: entries } : {}),
  };
}
