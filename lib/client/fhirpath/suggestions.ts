import { z } from 'zod';

const resourceSchema = z.object({ resourceType: z.string() });
const entryTypeSchema = z.object({ resource: resourceSchema });

/**
 * A few FHIRPath expressions that fit a response body, offered as one-click examples: for a Bundle its entries'
 * types and the most common type's ids, for a resource its id, for plain JSON (Candid, HealthSherpa) the size of
 * its first list. Empty for anything else.
 */
export function suggestFhirPathExpressions(body: unknown): string[] {
  if (body === null || typeof body !== 'object') return [];
  if (Array.isArray(body)) return ['count()'];
  const record = body as Record<string, unknown>;
  const resource = resourceSchema.safeParse(record);
  if (resource.success && resource.data.resourceType === 'Bundle') {
    const entries = Array.isArray(record.entry) ? record.entry : [];
    const firstType = entries.map((entry) => entryTypeSchema.safeParse(entry)).find((parsed) => parsed.success)?.data?.resource.resourceType;
    return [
      'entry.resource.resourceType',
      ...(firstType ? [`entry.resource.ofType(${firstType}).id`] : []),
      'entry.count()',
    ];
  }
  if (resource.success) return ['resourceType', 'id', 'meta.lastUpdated'];
  const listKey = Object.keys(record).find((key) => Array.isArray(record[key]) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key));
  if (listKey) return [`${listKey}.count()`, `${listKey}.first()`];
  return Object.keys(record)
    .filter((key) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
    .slice(0, 2);
}
