import { z } from 'zod';
import type { FlowEndpoints } from './effective-flow';
import { getEditDistance } from './edit-distance';
import { toEnvironmentPath } from './environment-path';
import { splitRequestPath } from './query-params';

/**
 * "Did you mean `Patient`?" for a request whose first segment after the FHIR base is not a resource type the server
 * declares in its CapabilityStatement (`rest[].resource[].type`, FHIR R4 §3.1.0.1).
 * @see https://hl7.org/fhir/R4/capabilitystatement-definitions.html#CapabilityStatement.rest.resource.type
 */

// Lenient on purpose: one odd `rest` or `resource` entry must not hide the types the others declare.
const capabilityStatementSchema = z.object({
  resourceType: z.literal('CapabilityStatement'),
  rest: z
    .array(
      z
        .object({
          resource: z
            .array(z.object({ type: z.string() }).nullable().catch(null))
            .optional()
            .catch(undefined),
        })
        .nullable()
        .catch(null),
    )
    .optional()
    .catch(undefined),
});

/** The resource types a CapabilityStatement declares, each once, in its order; null when the body is not one. */
export function getDeclaredResourceTypes(body: unknown): string[] | null {
  const parsed = capabilityStatementSchema.safeParse(body);
  if (!parsed.success) return null;
  const types = (parsed.data.rest ?? []).flatMap((rest) => (rest?.resource ?? []).flatMap((resource) => (resource ? [resource.type] : [])));
  return [...new Set(types)];
}

/**
 * Environment-relative FHIR bases a request may hang off, longest first, without a trailing slash (`''` for the
 * environment's root): the flow's own base (`/api/v2`, `/v2/fhir`) and any other the provider declares (BCDA's
 * `/api/v3` bulk base).
 */
export function getFhirBasePaths(endpoints: Pick<FlowEndpoints, 'tokenUrl' | 'fhirBaseUrl'>, otherBases: readonly string[] = []): string[] {
  const own = toEnvironmentPath(endpoints.fhirBaseUrl, endpoints);
  const bases = [...(own === null ? [] : [own]), ...otherBases].map((base) => base.split(/[?#]/)[0]?.replace(/\/+$/, '') ?? '');
  return [...new Set(bases)].sort((a, b) => b.length - a.length);
}

export interface ResourceTypeSegment {
  /** The FHIR base the path hangs off: `/api/v2`. */
  base: string;
  /** The first segment after it, decoded: `Patinet`. */
  typed: string;
  /** Everything after that segment, as typed: `/123/_history?_count=5`. */
  rest: string;
}

/**
 * The segment of `path` where a resource type belongs: the first one after the longest matching FHIR base. Null
 * when the path is under none of `bases`, or the segment cannot be a type: `metadata`, an operation (`$export`),
 * a search or history keyword (`_search`, `_history`), or anything but letters (`attribution_status`).
 */
export function findResourceTypeSegment(path: string, bases: readonly string[]): ResourceTypeSegment | null {
  const trimmed = path.trim();
  const pathname = splitRequestPath(trimmed).pathname.split('#')[0] ?? '';
  const tail = trimmed.slice(pathname.length);
  const base = [...bases].sort((a, b) => b.length - a.length).find((candidate) => pathname.startsWith(`${candidate}/`));
  if (base === undefined) return null;
  const after = pathname.slice(base.length + 1);
  const slash = after.indexOf('/');
  const raw = slash < 0 ? after : after.slice(0, slash);
  let typed: string;
  try {
    typed = decodeURIComponent(raw);
  } catch {
    return null;
  }
  // FHIR resource type names are letters only (R4 §2.26.0.1); `$…` operations and `_…` keywords never are.
  if (typed === 'metadata' || !/^[A-Za-z]{1,64}$/.test(typed)) return null;
  return { base, typed, rest: after.slice(raw.length) + tail };
}

/**
 * The declared types nearest to `typed`, case-insensitively (`patient` → `Patient`), by Damerau–Levenshtein
 * distance: only the nearest ones, at most `limit`, and none further than a short name's one edit (two up to
 * eight letters, three beyond), so `jobs` suggests nothing rather than `Group`.
 */
export function suggestResourceTypes(typed: string, declared: readonly string[], limit = 3): string[] {
  const wanted = typed.toLowerCase();
  const maxDistance = wanted.length <= 4 ? 1 : wanted.length <= 8 ? 2 : 3;
  const scored = declared
    .map((type) => ({ type, distance: getEditDistance(wanted, type.toLowerCase()), exact: getEditDistance(typed, type) }))
    .filter(({ distance }) => distance <= maxDistance);
  const nearest = Math.min(...scored.map(({ distance }) => distance));
  return scored
    .filter(({ distance }) => distance === nearest)
    .sort((a, b) => a.exact - b.exact || a.type.localeCompare(b.type))
    .slice(0, limit)
    .map(({ type }) => type);
}

export interface ResourceTypeHint {
  typed: string;
  /** The typed name differs from the first suggestion only in case (FHIR names are case-sensitive). */
  caseOnly: boolean;
  /** Each suggested type with the request's path rewritten to it, id and query kept. */
  suggestions: Array<{ type: string; path: string }>;
}

/**
 * What to tell the user about `path` given the types the server declares: null when its segment is a declared
 * type, is not a type at all, or nothing declared is near it (then nothing is said).
 */
export function getResourceTypeHint(path: string, bases: readonly string[], declared: readonly string[]): ResourceTypeHint | null {
  const segment = findResourceTypeSegment(path, bases);
  if (!segment || declared.includes(segment.typed)) return null;
  const types = suggestResourceTypes(segment.typed, declared);
  const [first] = types;
  if (first === undefined) return null;
  return {
    typed: segment.typed,
    caseOnly: first.toLowerCase() === segment.typed.toLowerCase(),
    suggestions: types.map((type) => ({ type, path: `${segment.base}/${type}${segment.rest}` })),
  };
}

/**
 * Whether an answer is worth a look at the CapabilityStatement: a FHIR API said 404 (or 400, which some servers answer to
 * an unknown type) to a path whose segment after the base could be a resource type. Non-FHIR APIs have none to read.
 */
export function shouldLookUpResourceTypes(apiKind: 'fhir' | 'json', status: number, path: string, bases: readonly string[]): boolean {
  return apiKind === 'fhir' && (status === 404 || status === 400) && findResourceTypeSegment(path, bases) !== null;
}

