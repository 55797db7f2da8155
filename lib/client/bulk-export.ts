import { z } from 'zod';
import { isHttpDate } from '@/lib/contract/headers';

/**
 * The completed-job manifest of FHIR Bulk Data Access (IG v2 §"Response - Complete Status"). Lenient where
 * providers differ: BCDA adds a PascalCase `JobID`, `error` may be absent, `extension` is free-form.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#response---complete-status
 */
const manifestFileSchema = z.object({
  type: z.string(),
  url: z.string(),
  count: z.number().optional(),
});
export type ManifestFile = z.infer<typeof manifestFileSchema>;

export const bulkManifestSchema = z.object({
  transactionTime: z.string(),
  request: z.string().optional(),
  requiresAccessToken: z.boolean().optional(),
  output: z.array(manifestFileSchema),
  error: z.array(manifestFileSchema).default([]),
  deleted: z.array(manifestFileSchema).optional(),
});
export type BulkManifest = z.infer<typeof bulkManifestSchema>;

export interface BulkProgress {
  /** The header as sent, or a default label. */
  label: string;
  /** 0–100, or null when the server gives no percentage ("In Progress"). */
  percent: number | null;
}

/**
 * Reads `X-Progress`. BCDA's code sends `Pending`, `In Progress` or `In Progress (NN%)`; its docs show
 * `In Progress, 80%`. Both forms, and a bare `NN%`, are understood.
 */
export function parseXProgress(header: string | undefined | null): BulkProgress {
  const label = header?.trim() ?? '';
  if (!label) return { label: 'In progress', percent: null };
  const match = /(\d{1,3}(?:\.\d+)?)\s*%/.exec(label);
  if (match?.[1] !== undefined) {
    return { label, percent: Math.min(100, Math.max(0, Number(match[1]))) };
  }
  if (/^(pending|queued|accepted)\b/i.test(label)) return { label, percent: 0 };
  if (/^(completed?|done)\b/i.test(label)) return { label, percent: 100 };
  return { label, percent: null };
}

export interface ParsedExpires {
  /** Epoch milliseconds, or null when unreadable. */
  time: number | null;
  /** True when the header is an RFC 9110 HTTP-date (IMF-fixdate). */
  httpDate: boolean;
}

/** Go's `time.Time.String()`: `2026-08-22 20:44:01.705398 +0000 UTC` (BCDA's job `Expires`). */
const GO_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? ([+-])(\d{2})(\d{2})(?: [A-Za-z]+)?$/;

/** Reads an `Expires` header in HTTP-date or Go time format. */
export function parseExpiresHeader(value: string | undefined | null): ParsedExpires | null {
  const header = value?.trim();
  if (!header) return null;
  if (isHttpDate(header)) return { time: Date.parse(header), httpDate: true };
  const go = GO_TIME.exec(header);
  if (go) {
    const [, y, mo, d, h, mi, s, frac = '0', sign, oh, om] = go;
    const ms = Math.floor(Number(`0.${frac}`) * 1000);
    const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
    const offsetMs = (Number(oh) * 60 + Number(om)) * 60_000 * (sign === '-' ? -1 : 1);
    return { time: utc - offsetMs, httpDate: false };
  }
  const time = Date.parse(header);
  return { time: Number.isNaN(time) ? null : time, httpDate: false };
}

/** The file name at the end of a manifest URL. */
export function getFileName(url: string): string {
  const path = url.split(/[?#]/)[0] ?? url;
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name) || url;
  } catch {
    return name || url;
  }
}
