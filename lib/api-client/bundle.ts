import { z } from 'zod';

/** Only what paging needs, leniently: a Bundle whose links or entries are odd still pages when it can. */
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

export interface BundleSummary {
  /** `searchset`, `collection` … */
  type: string | undefined;
  /** Matches in the whole search, when the server counted them. */
  total: number | undefined;
  /** Entries on this page. */
  entries: number;
  /** The `next` link as sent (absolute), or null on the last page. */
  next: string | null;
}

/**
 * Paging facts of a FHIR Bundle: a searchset's `link` with relation `next` points at the following page
 * (FHIR R4 §3.1.1.3.2 "Paging"). Null when the body is not a Bundle.
 * @see https://hl7.org/fhir/R4/http.html#paging
 */
export function describeBundle(body: unknown): BundleSummary | null {
  const parsed = bundleSchema.safeParse(body);
  if (!parsed.success) return null;
  const { type, total, link = [], entry = [] } = parsed.data;
  const next = link.find((l) => l?.relation === 'next')?.url.trim() || null;
  return { type, total, entries: entry.length, next };
}
