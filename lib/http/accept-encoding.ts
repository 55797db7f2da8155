import 'server-only';
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
