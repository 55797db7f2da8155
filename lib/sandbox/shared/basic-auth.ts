import 'server-only';
/**
 * HTTP Basic client credentials (RFC 6749 §2.3.1), shared by the sandboxes whose token endpoints take them.
 */

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * Basic credentials as DOT reads them: base64, split at the first colon, each half form-decoded (RFC 6749
 * §2.3.1 has clients form-encode id and secret before Basic). Undefined when the header is not Basic.
 */
export function parseBasicCredentials(header: string | null): { clientId: string; clientSecret: string } | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(match[1]), (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}
