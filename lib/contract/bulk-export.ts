import { z } from 'zod';

/** What a provider's bulk `$export` offers, as the provider file declares it and the kick-off form shows it. */

const pathSchema = z.string().regex(/^\/[^\s]*$/, 'a path starting with "/"');

/** Bulk Data kick-off levels (Bulk Data IG v2 §"Bulk Data Kick-off Request"): Patient, Group/[id] or the whole system. */
export const bulkExportLevelSchema = z.enum(['patient', 'group', 'system']);
export type BulkExportLevel = z.infer<typeof bulkExportLevelSchema>;

/** One FHIR base a provider serves `$export` on (BCDA: `/api/v2` and `/api/v3`, each with its own resource types). */
export const bulkExportBaseSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string().min(1),
  /** Environment-relative base the kick-off paths hang off, e.g. `/api/v2`. */
  path: pathSchema,
  /** The FHIR version this API version serves, when it is not R4 (BCDA v1: STU3); the R4 checks skip it. */
  fhirVersion: z.enum(['R4', 'STU3']).default('R4'),
  levels: z.array(bulkExportLevelSchema).min(1),
  /** Group ids offered for `Group/[id]/$export`; empty when any id may be typed. */
  groups: z.array(z.object({ id: z.string().min(1), label: z.string().min(1) })).default([]),
  /** The `_type` values this base exports. */
  resourceTypes: z.array(z.string().min(1)).min(1),
  /** Environments that serve this base; absent for all of them. */
  environments: z.array(z.string()).optional(),
  note: z.string().optional(),
});

/** What a provider's bulk export offers, as data for the kick-off form. */
export const bulkExportCapabilitySchema = z.object({
  bases: z.array(bulkExportBaseSchema).min(1),
  /** `_outputFormat` values accepted; the first is the default. */
  outputFormats: z.array(z.string().min(1)).min(1),
  /** Whether `DELETE` on the status URL cancels a job (1upHealth answers 403: no cancel). */
  cancel: z.object({ supported: z.boolean(), note: z.string().optional() }),
});
export type BulkExportCapability = z.infer<typeof bulkExportCapabilitySchema>;
