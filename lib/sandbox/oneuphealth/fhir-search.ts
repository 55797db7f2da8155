import 'server-only';
import { deterministicUuid } from '../shared/hash';
import { fhirResponse, operationOutcome } from './responses';
import { getMemberResources, getPatientId, type Dataset, type FhirResource, type OneUpResourceType } from './synthetic-data';

/**
 * FHIR R4 reads and searches over the members a token may see, shared by the bison bulk server and the demo
 * plan's Patient Access server. Searches answer `searchset` Bundles paged with `_count` and `_offset`.
 * @see https://hl7.org/fhir/R4/http.html#search
 */

/** The members one token may see. */
export interface MemberScope {
  dataset: Dataset;
  /** Visible member indices, in order. */
  members: readonly number[];
}

export const defaultPageSize = 10;
export const maxPageSize = 100;

/** Parameters that only steer paging or formatting, never filtering. */
const controlParameters = new Set(['_count', '_offset', '_format', '_pretty', '_summary']);

type Matcher = (resource: FhirResource, value: string) => boolean;

function referenceId(value: string): string {
  const at = value.lastIndexOf('Patient/');
  return at >= 0 ? value.slice(at + 'Patient/'.length) : value;
}

function refersTo(field: unknown, value: string): boolean {
  return typeof field === 'object' && field !== null && (field as { reference?: unknown }).reference === `Patient/${referenceId(value)}`;
}

function startsWithIgnoreCase(text: unknown, prefix: string): boolean {
  return typeof text === 'string' && text.toLowerCase().startsWith(prefix.toLowerCase());
}

interface HumanName {
  family?: string;
  given?: string[];
}

function names(resource: FhirResource): HumanName[] {
  return Array.isArray(resource.name) ? (resource.name as HumanName[]) : [];
}

function matchesIdentifier(resource: FhirResource, value: string): boolean {
  const bar = value.indexOf('|');
  const system = bar >= 0 ? value.slice(0, bar) : undefined;
  const code = bar >= 0 ? value.slice(bar + 1) : value;
  const identifiers = Array.isArray(resource.identifier) ? (resource.identifier as Array<{ system?: string; value?: string }>) : [];
  return identifiers.some((identifier) => identifier.value === code && (system === undefined || system === '' || identifier.system === system));
}

function matchesCoding(field: unknown, value: string): boolean {
  const code = value.includes('|') ? value.slice(value.indexOf('|') + 1) : value;
  const codings = (field as { coding?: Array<{ code?: string }> } | undefined)?.coding ?? [];
  return codings.some((coding) => coding.code === code);
}

/** Supported search parameters per type; a comma in a value means OR (FHIR R4 §3.1.1.5.2). */
const matchers: Record<OneUpResourceType, Record<string, Matcher>> = {
  Patient: {
    identifier: matchesIdentifier,
    name: (r, v) => names(r).some((n) => startsWithIgnoreCase(n.family, v) || (n.given ?? []).some((g) => startsWithIgnoreCase(g, v))),
    family: (r, v) => names(r).some((n) => startsWithIgnoreCase(n.family, v)),
    given: (r, v) => names(r).some((n) => (n.given ?? []).some((g) => startsWithIgnoreCase(g, v))),
    birthdate: (r, v) => r.birthDate === v.replace(/^eq/, ''),
    gender: (r, v) => r.gender === v,
  },
  Coverage: {
    patient: (r, v) => refersTo(r.beneficiary, v),
    beneficiary: (r, v) => refersTo(r.beneficiary, v),
    identifier: matchesIdentifier,
  },
  ExplanationOfBenefit: {
    patient: (r, v) => refersTo(r.patient, v),
    type: (r, v) => matchesCoding(r.type, v),
    identifier: matchesIdentifier,
  },
  Encounter: {
    patient: (r, v) => refersTo(r.subject, v),
    subject: (r, v) => refersTo(r.subject, v),
  },
};

const patientParameters = new Set(['patient', 'beneficiary', 'subject']);

function parseNonNegative(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  return /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}

/** The visible members a `patient=` style parameter narrows to, so only their resources are generated. */
function narrowMembers(scope: MemberScope, params: URLSearchParams, type: OneUpResourceType): readonly number[] {
  const wanted = type === 'Patient' ? params.getAll('_id') : [...patientParameters].flatMap((name) => params.getAll(name));
  if (wanted.length === 0) return scope.members;
  const ids = new Set(wanted.flatMap((value) => value.split(',')).map(referenceId));
  return scope.members.filter((index) => ids.has(getPatientId(scope.dataset, index)));
}

/**
 * `GET [base]/{type}?…`: a searchset Bundle of the visible members' resources. Unknown parameters are ignored,
 * as FHIR R4 lets a server do without `Prefer: handling=strict`, and left out of the `self` link.
 */
export function handleSearch(scope: MemberScope, type: OneUpResourceType, requestUrl: URL, fhirBaseUrl: string, nowMs: number): Response {
  const params = requestUrl.searchParams;
  const count = parseNonNegative(params.get('_count'), defaultPageSize);
  const offset = parseNonNegative(params.get('_offset'), 0);
  if (count === undefined) return operationOutcome(400, 'invalid', `Invalid _count: "${params.get('_count')}"`);
  if (offset === undefined) return operationOutcome(400, 'invalid', `Invalid _offset: "${params.get('_offset')}"`);
  const pageSize = Math.min(count, maxPageSize);

  const filters: Array<{ name: string; values: string[]; matcher: Matcher }> = [];
  const used = new URLSearchParams();
  for (const [name, value] of params) {
    if (controlParameters.has(name)) continue;
    const matcher = name === '_id' ? (r: FhirResource, v: string) => r.id === v : matchers[type][name];
    if (!matcher) continue;
    filters.push({ name, values: value.split(','), matcher });
    used.append(name, value);
  }

  const matches: FhirResource[] = [];
  for (const index of narrowMembers(scope, params, type)) {
    for (const { resource } of getMemberResources(scope.dataset, index, type)) {
      if (filters.every((filter) => filter.values.some((value) => filter.matcher(resource, value)))) matches.push(resource);
    }
  }

  const page = matches.slice(offset, offset + pageSize);
  const link = (at: number) => {
    const query = new URLSearchParams(used);
    query.set('_count', String(pageSize));
    if (at > 0) query.set('_offset', String(at));
    return `${fhirBaseUrl}/${type}?${query.toString()}`;
  };
  const self = link(offset);
  const links = [{ relation: 'self', url: self }];
  if (offset + pageSize < matches.length && pageSize > 0) links.push({ relation: 'next', url: link(offset + pageSize) });
  if (offset > 0) links.push({ relation: 'previous', url: link(Math.max(0, offset - pageSize)) });
  return fhirResponse({
    resourceType: 'Bundle',
    id: deterministicUuid(self),
    meta: { lastUpdated: new Date(nowMs).toISOString() },
    type: 'searchset',
    total: matches.length,
    link: links,
    entry: page.map((resource) => ({ fullUrl: `${fhirBaseUrl}/${type}/${resource.id}`, resource, search: { mode: 'match' } })),
  });
}

/** `GET [base]/{type}/{id}`: one resource of a visible member; 404 for anything else, seen or not. */
export function handleRead(scope: MemberScope, type: OneUpResourceType, id: string): Response {
  const candidates = type === 'Patient' ? scope.members.filter((index) => getPatientId(scope.dataset, index) === id) : scope.members;
  for (const index of candidates) {
    const found = getMemberResources(scope.dataset, index, type).find((entry) => entry.resource.id === id);
    if (found) return fhirResponse(found.resource);
  }
  return operationOutcome(404, 'not-found', `Resource ${type}/${id} is not known`);
}
