import type { BulkExportCapability, BulkExportLevel } from '@/lib/contract/bulk-export';

/**
 * Builds a Bulk Data kick-off request from the form's choices and a provider's bulk capability.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-kick-off-request
 */

export type BulkExportBase = BulkExportCapability['bases'][number];

/** Bulk Data IG: the kick-off SHOULD carry both; BCDA refuses a request without them (400). */
export const KICKOFF_HEADERS = { Accept: 'application/fhir+json', Prefer: 'respond-async' } as const;

export interface KickoffInput {
  baseId: string;
  level: BulkExportLevel;
  /** For the Group level. */
  groupId: string;
  /** Empty: every type the server exports by default (no `_type`). */
  types: readonly string[];
  /** A `datetime-local` value (`2025-01-31T08:30`, local time) or ''. */
  since: string;
  /** '' leaves `_outputFormat` out (the server's default, application/fhir+ndjson). */
  outputFormat: string;
}

export interface KickoffRequest {
  /** Environment-relative, ready for the FHIR proxy. */
  path: string;
  headers: Record<string, string>;
  /** `_since` as sent, when set. */
  sinceInstant?: string;
}

export type KickoffResult = { ok: true; request: KickoffRequest } | { ok: false; field: keyof KickoffInput; message: string };

/** FHIR `id` (R4 §2.24.0.1): what `Group/[id]` may hold. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const DATETIME_LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The bases an environment serves (BCDA's v1 exists only on the real hosts). */
export function getBasesFor(capability: BulkExportCapability, environmentId: string): BulkExportBase[] {
  return capability.bases.filter((base) => !base.environments || base.environments.includes(environmentId));
}

/**
 * A `datetime-local` value, read in the browser's time zone, as a FHIR instant in UTC without milliseconds
 * (`2025-01-31T13:30:00Z`); null when it is not a real date and time.
 * @see https://hl7.org/fhir/R4/datatypes.html#instant
 */
export function toFhirInstant(datetimeLocal: string): string | null {
  const match = DATETIME_LOCAL.exec(datetimeLocal.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s = '00'] = match;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // new Date() rolls 2025-02-30 over into March: compare back to refuse such dates.
  if (date.getFullYear() !== Number(y) || date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d)) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The kick-off path and headers for `input`, or the first field that is wrong and why. */
export function buildKickoffRequest(
  capability: BulkExportCapability,
  environmentId: string,
  input: KickoffInput,
  /** `_since` must be before this; Infinity skips the check (a preview rendered without reading the clock). */
  nowMs: number = Date.now(),
): KickoffResult {
  const base = getBasesFor(capability, environmentId).find((candidate) => candidate.id === input.baseId);
  if (!base) return { ok: false, field: 'baseId', message: 'Choose an API version this environment serves.' };
  if (!base.levels.includes(input.level)) {
    return { ok: false, field: 'level', message: `This API does not offer a ${input.level}-level export.` };
  }

  let operation: string;
  if (input.level === 'patient') operation = '/Patient/$export';
  else if (input.level === 'system') operation = '/$export';
  else {
    const groupId = input.groupId.trim();
    if (!groupId) return { ok: false, field: 'groupId', message: 'Enter the id of the Group to export.' };
    if (!FHIR_ID.test(groupId)) {
      return { ok: false, field: 'groupId', message: 'A Group id is 1–64 letters, digits, "-" or ".".' };
    }
    operation = `/Group/${groupId}/$export`;
  }

  const unknown = input.types.find((type) => !base.resourceTypes.includes(type));
  if (unknown !== undefined) return { ok: false, field: 'types', message: `${unknown} is not exported by ${base.label}.` };

  const params: string[] = [];
  if (input.types.length > 0) {
    // Keep the provider's order so the same choice always gives the same URL (BCDA compares URLs of running jobs).
    const ordered = base.resourceTypes.filter((type) => input.types.includes(type));
    params.push(`_type=${ordered.map(encodeQueryValue).join(',')}`);
  }
  let sinceInstant: string | undefined;
  if (input.since.trim()) {
    const instant = toFhirInstant(input.since);
    if (!instant) return { ok: false, field: 'since', message: 'Enter a date and time, or leave it empty.' };
    // BCDA refuses a _since that has not passed yet; the IG only makes sense for the past.
    if (Date.parse(instant) > nowMs) return { ok: false, field: 'since', message: '_since must be in the past.' };
    sinceInstant = instant;
    params.push(`_since=${encodeQueryValue(instant)}`);
  }
  if (input.outputFormat) {
    if (!capability.outputFormats.includes(input.outputFormat)) {
      return { ok: false, field: 'outputFormat', message: `${input.outputFormat} is not an output format of this provider.` };
    }
    params.push(`_outputFormat=${encodeQueryValue(input.outputFormat)}`);
  }

  const path = `${base.path}${operation}${params.length > 0 ? `?${params.join('&')}` : ''}`;
  return { ok: true, request: { path, headers: { ...KICKOFF_HEADERS }, sinceInstant } };
}

/**
 * Percent-encodes a query value but leaves `:` and `/` readable (RFC 3986 §3.4 allows both in a query). `+` stays
 * encoded: Go's and many other servers' query parsers read a bare `+` as a space.
 */
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}
