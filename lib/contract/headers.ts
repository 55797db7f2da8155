/** Header lists (DTOs carry them as `[name, value]` pairs); names compare case-insensitively (RFC 9110 §5.1). */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

/** The first value of `name`, or undefined. */
export function getHeader(headers: HeaderList, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/**
 * Headers a user may set on a proxied FHIR request; everything else (Authorization, Cookie, Host …) is the BFF's.
 * The proxy refuses the others; the workbench keeps only these when it loads a recorded request for editing.
 */
export const FHIR_USER_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'prefer',
  'content-type',
  'if-none-match',
  'if-modified-since',
  'x-request-id',
]);

/**
 * Whether an `Accept-Encoding` value takes gzip (RFC 9110 §12.5.3): `gzip`, `x-gzip` or `*` with a weight above 0,
 * the most specific one deciding.
 */
export function acceptsGzip(acceptEncoding: string | null | undefined): boolean {
  if (!acceptEncoding) return false;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const part of acceptEncoding.split(',')) {
    const [coding = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (coding === 'gzip' || coding === 'x-gzip') gzip = Number.isNaN(weight) ? 0 : weight;
    else if (coding === '*') any = Number.isNaN(weight) ? 0 : weight;
  }
  return (gzip ?? any ?? 0) > 0;
}

/**
 * `Retry-After` in milliseconds, as delta-seconds or HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable.
 */
export function readRetryAfterMs(value: string | undefined, nowMs: number): number | null {
  const header = value?.trim();
  if (!header) return null;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  // Every HTTP-date form names a weekday; this keeps Date.parse from reading "-1" as a year.
  if (!/^[A-Za-z]{3}/.test(header)) return null;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** RFC 9110 §5.6.7 IMF-fixdate, the HTTP-date form senders must use: `Sun, 06 Nov 1994 08:49:37 GMT`. */
export function isHttpDate(value: string): boolean {
  return /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value);
}
