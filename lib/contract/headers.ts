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
