import { z } from 'zod';
import { getEnvironmentPrefix, toEnvironmentPath } from './environment-path';
import type { providerEnvironmentDtoSchema } from '@/lib/contract/schemas';

type EnvironmentUrls = Pick<z.infer<typeof providerEnvironmentDtoSchema>, 'tokenUrl' | 'fhirBaseUrl'>;

/** Only what paging and the summary need, leniently: a Bundle whose links or entries are odd still pages when it can. */
const bundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.string().optional().catch(undefined),
  total: z.number().optional().catch(undefined),
  link: z
    .array(z.object({ relation: z.string(), url: z.string() }).nullable().catch(null))
    .optional()
    .catch(undefined),
  entry: z.array(z.unknown()).optional().catch(undefined),
});

const entryResourceTypeSchema = z.object({ resource: z.object({ resourceType: z.string() }) });

/** The Bundle links a pager follows, in the order it shows them (FHIR R4 §3.1.1.3.2). */
export const pagingRelations = ['first', 'previous', 'next', 'last'] as const;
export type PagingRelation = (typeof pagingRelations)[number];

export interface BundleSummary {
  /** `searchset`, `collection` … */
  type: string | undefined;
  /** Matches in the whole search, when the server counted them. */
  total: number | undefined;
  /** Entries on this page. */
  entries: number;
  /** Entries on this page per `resource.resourceType`, most first; entries without a resource count as `(no resource)`. */
  resourceTypes: Array<{ resourceType: string; count: number }>;
  /** Paging links as sent (absolute or relative), null when absent. */
  links: Record<PagingRelation, string | null>;
  /**
   * How many matches come before this page, when the `self` link says (Blue Button's `startIndex`, HAPI's
   * `_getpagesoffset`, `_offset`); null when it does not, so the page can say "entries 11–20" only when it knows.
   */
  offset: number | null;
}

/** Offset parameters of paged searches, as servers name them in their `self` and paging links. */
const OFFSET_PARAMETERS = ['startIndex', '_getpagesoffset', '_offset'];

function offsetOf(selfUrl: string | null): number | null {
  if (!selfUrl) return null;
  const url = parseUrl(selfUrl, 'http://relative.invalid/');
  for (const name of OFFSET_PARAMETERS) {
    const value = url?.searchParams.get(name);
    if (value !== null && value !== undefined && /^\d{1,9}$/.test(value)) return Number(value);
  }
  return null;
}

/** Entries without a readable `resource.resourceType` (a deleted entry in a history Bundle, a bad shape). */
export const UNTYPED_ENTRY = '(no resource)';

/**
 * Paging facts of a FHIR Bundle: a searchset's `link`s with relations `first`, `previous` (also the older `prev`),
 * `next` and `last` (FHIR R4 §3.1.1.3.2 "Paging"), its `total` and what its entries hold. Null when the body is not
 * a Bundle.
 * @see https://hl7.org/fhir/R4/http.html#paging
 */
export function describeBundle(body: unknown): BundleSummary | null {
  const parsed = bundleSchema.safeParse(body);
  if (!parsed.success) return null;
  const { type, total, link = [], entry = [] } = parsed.data;
  const findLink = (...relations: string[]) =>
    link.find((l) => l !== null && relations.includes(l.relation) && l.url.trim() !== '')?.url.trim() ?? null;
  return {
    type,
    total,
    entries: entry.length,
    resourceTypes: countResourceTypes(entry),
    links: {
      first: findLink('first'),
      previous: findLink('previous', 'prev'),
      next: findLink('next'),
      last: findLink('last'),
    },
    offset: offsetOf(findLink('self')),
  };
}

function countResourceTypes(entries: readonly unknown[]): BundleSummary['resourceTypes'] {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const parsed = entryResourceTypeSchema.safeParse(entry);
    const resourceType = parsed.success ? parsed.data.resource.resourceType : UNTYPED_ENTRY;
    counts.set(resourceType, (counts.get(resourceType) ?? 0) + 1);
  }
  return [...counts].map(([resourceType, count]) => ({ resourceType, count })).sort((a, b) => b.count - a.count);
}

function parseUrl(url: string, base?: string): URL | null {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}

/**
 * A paging link as the path the FHIR proxy takes, or null when it leads outside the environment (another host, a
 * path the environment does not serve), so the page never offers to follow it. Relative links are resolved against
 * the FHIR base, as FHIR R4 §3.1.0.1.2 reads them. Another host name for a built-in sandbox's mount (localhost vs
 * 127.0.0.1) is the same server and is followed.
 */
export function toPagingPath(link: string, env: EnvironmentUrls): string | null {
  const fhirBase = env.fhirBaseUrl.endsWith('/') ? env.fhirBaseUrl : `${env.fhirBaseUrl}/`;
  const url = parseUrl(link.trim(), fhirBase);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  const ownOrigins = [env.fhirBaseUrl, env.tokenUrl].map((u) => parseUrl(u)?.origin);
  if (!ownOrigins.includes(url.origin)) {
    const prefix = getEnvironmentPrefix(env);
    const sandboxMount = prefix.startsWith('/sandbox/') && url.pathname.startsWith(`${prefix}/`);
    if (!sandboxMount) return null;
  }
  return toEnvironmentPath(url.toString(), env);
}

/** Every paging link of a Bundle as a proxy path (see toPagingPath); null where there is none or it leads elsewhere. */
export function toPagingPaths(links: BundleSummary['links'], env: EnvironmentUrls): Record<PagingRelation, string | null> {
  const paths: Record<PagingRelation, string | null> = { first: null, previous: null, next: null, last: null };
  for (const relation of pagingRelations) {
    const link = links[relation];
    paths[relation] = link === null ? null : toPagingPath(link, env);
  }
  return paths;
}
