import 'server-only';
/** Request parameters the way Rails reads them for Doorkeeper's controllers. */

// Bodies are small forms; anything larger is not a real OAuth request.
const maxBodyBytes = 64 * 1024;

/** The request body, at most `maxBodyBytes`; undefined when it is larger. */
export async function readBodyText(request: Request): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBodyBytes) return undefined;
  const text = await request.text();
  return new TextEncoder().encode(text).length > maxBodyBytes ? undefined : text;
}

function fromJson(text: string): URLSearchParams {
  const params = new URLSearchParams();
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') params.append(key, String(item));
      }
    }
  } catch {
    // Unparseable JSON reads as no parameters: the request then misses its required ones.
  }
  return params;
}

/** The body's parameters: a urlencoded form, or a JSON object (Rails parses both into `params`). */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const text = (await readBodyText(request)) ?? '';
  const type = request.headers.get('content-type')?.toLowerCase() ?? '';
  return /^application\/(?:[\w.+-]+\+)?json\b/.test(type) ? fromJson(text) : new URLSearchParams(text);
}

/** Rails' `params`: the query string merged with the body, the body winning. */
export async function readParams(request: Request): Promise<URLSearchParams> {
  const merged = new URLSearchParams(new URL(request.url).search);
  for (const [key, value] of await readForm(request)) merged.set(key, value);
  return merged;
}
