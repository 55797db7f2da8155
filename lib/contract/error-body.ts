/**
 * What a provider said in an error body, in the shapes providers use: OAuth's `error`/`error_description` (RFC 6749
 * §5.2), Auth0's `{ error: { code, message } }`, HealthSherpa's `errorName`, Django REST framework's `detail`, an
 * OperationOutcome's first issue, a bare `message`, or short plain text. Both sides read it: the BFF for why a
 * token was refused, the page for the diagnosis and the error card. An HTML page says nothing worth quoting.
 */
export function readErrorBody(body: string | null | undefined): { error?: string; description?: string } {
  if (!body) return {};
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    const text = body.trim();
    return text.startsWith('<') ? {} : { description: text.slice(0, 200) };
  }
  if (json === null || typeof json !== 'object') return {};
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  if (typeof json.error === 'string') return { error: json.error, description: text(json.error_description) };
  if (json.error && typeof json.error === 'object') {
    const e = json.error as Record<string, unknown>;
    return { error: text(e.code), description: text(e.message) };
  }
  if (typeof json.errorName === 'string') {
    const content = json.content as Record<string, unknown> | undefined;
    return { error: json.errorName, description: text(content?.message) };
  }
  if (json.resourceType === 'OperationOutcome' && Array.isArray(json.issue)) {
    const issue = json.issue[0] as Record<string, unknown> | undefined;
    return { error: text(issue?.code), description: text(issue?.diagnostics) };
  }
  return { description: text(json.detail) ?? text(json.message) };
}
