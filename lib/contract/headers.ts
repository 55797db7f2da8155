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
