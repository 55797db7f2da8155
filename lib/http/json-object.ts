import 'server-only';
/** The text as a JSON object, or null when it is not JSON or not an object (an array, a string …). */
export function readJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
