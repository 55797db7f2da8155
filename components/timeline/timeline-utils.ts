/** Pretty-prints a body that is JSON; anything else (text/plain `Unauthorized`, NDJSON, redaction marks) as sent. */
export function formatBody(body: string): { text: string; json: boolean } {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
    } catch {
      // Not JSON (or truncated JSON): show verbatim.
    }
  }
  return { text: body, json: false };
}

/** `https://host/sandbox/bcda/api/v2/jobs/7` → `{ origin: 'https://host', rest: '/sandbox/bcda/api/v2/jobs/7' }` */
export function splitUrl(url: string): { origin: string; rest: string } {
  try {
    const parsed = new URL(url);
    return { origin: parsed.origin, rest: url.slice(parsed.origin.length) || '/' };
  } catch {
    return { origin: '', rest: url };
  }
}
