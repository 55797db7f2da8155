import 'server-only';
/** Reads a request body as `application/x-www-form-urlencoded`, whatever its Content-Type says (Django reads POST so). */
export async function readForm(request: Request): Promise<URLSearchParams> {
  return new URLSearchParams(await request.text());
}

/** `uri` with `params` appended to its query, keeping what is already there (RFC 6749 §4.1.2). */
export function withQuery(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  return url.toString();
}
