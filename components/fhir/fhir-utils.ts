import { z } from 'zod';

const issueSchema = z.object({
  severity: z.string().catch('error'),
  code: z.string().catch('unknown'),
  diagnostics: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined),
  details: z.object({ text: z.string().optional().catch(undefined) }).optional().catch(undefined),
  expression: z
    .array(z.unknown())
    .transform((items) => items.filter((item): item is string => typeof item === 'string'))
    .optional()
    .catch(undefined),
});
export type OperationOutcomeIssue = z.infer<typeof issueSchema>;

// Lenient on purpose: an OperationOutcome with one odd issue (or `issue` as a single object) still shows the rest.
const operationOutcomeSchema = z.object({
  resourceType: z.literal('OperationOutcome'),
  issue: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown()).transform((one) => [one])]).catch([]),
});

/**
 * The issues of a FHIR OperationOutcome (R4 §OperationOutcome), or null when the body is something else. Issues
 * that are not objects are skipped; missing fields get `error` / `unknown`.
 */
export function getOperationOutcomeIssues(body: unknown): OperationOutcomeIssue[] | null {
  const parsed = operationOutcomeSchema.safeParse(body);
  if (!parsed.success) return null;
  return parsed.data.issue.flatMap((item) => {
    const issue = issueSchema.safeParse(item);
    return issue.success ? [issue.data] : [];
  });
}

const entryOutcomeSchema = z.object({
  resource: z.unknown().optional(),
  response: z.object({ outcome: z.unknown().optional() }).optional().catch(undefined),
});

/**
 * Issues a response carries: the body's own OperationOutcome, or the OperationOutcomes inside a Bundle's entries
 * (a searchset's `search.mode = outcome` entry, a batch-response's `response.outcome`). `inBundle` says which.
 * @see https://hl7.org/fhir/R4/bundle-definitions.html#Bundle.entry.search.mode
 */
export function findOperationOutcomeIssues(body: unknown): { issues: OperationOutcomeIssue[]; inBundle: boolean } | null {
  const own = getOperationOutcomeIssues(body);
  if (own) return { issues: own, inBundle: false };
  if (body === null || typeof body !== 'object' || (body as { resourceType?: unknown }).resourceType !== 'Bundle') return null;
  const entries = (body as { entry?: unknown }).entry;
  if (!Array.isArray(entries)) return null;
  const issues = entries.flatMap((entry) => {
    const parsed = entryOutcomeSchema.safeParse(entry);
    if (!parsed.success) return [];
    return [
      ...(getOperationOutcomeIssues(parsed.data.resource) ?? []),
      ...(getOperationOutcomeIssues(parsed.data.response?.outcome) ?? []),
    ];
  });
  return issues.length > 0 ? { issues, inBundle: true } : null;
}

/** `resourceType` and `id` of an NDJSON line, for the collapsed row. */
export function summarizeResource(line: unknown): { resourceType?: string; id?: string } {
  if (line === null || typeof line !== 'object' || Array.isArray(line)) return {};
  const record = line as Record<string, unknown>;
  return {
    resourceType: typeof record.resourceType === 'string' ? record.resourceType : undefined,
    id: typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : undefined,
  };
}

/** `1.2 KB`, `512 B`, `3.4 MB` (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `184 ms`, `1.42 s` */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A default request's body for the editor: JSON pretty-printed, anything else as written; '' when there is none. */
export function formatRequestBody(body: string | undefined): string {
  if (!body) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
