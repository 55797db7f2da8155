import 'server-only';
import { keyedFingerprint, type Fingerprint } from './fingerprint';
import { fingerprintKey } from './fingerprint-key';

/**
 * Redaction for everything the console records or shows: exchanges in the timeline, error bodies, logs.
 * Secrets hide in headers (Authorization, Cookie), JSON and form bodies, query strings and in encoded forms
 * (Basic's base64, percent-encoding), so each is handled, and every known secret value is also replaced verbatim.
 */

const SECRET_FIELDS = [
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code_verifier',
  'client_assertion',
  'assertion',
  'password',
];
const JSON_FIELD = new RegExp(`("(?:${SECRET_FIELDS.join('|')})"\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'g');
// An authorization `code` is secret in a form body or query string; in JSON, `code` is FHIR's coding field.
const FORM_FIELD = new RegExp(`(^|[?&\\s])(${[...SECRET_FIELDS, 'code'].join('|')})=([^&#\\s]*)`, 'g');
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/=]{8,}/gi;
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** A stable, non-reversible name for a secret: the first 12 hex digits of its HMAC-SHA256 under the server's key. */
export function fingerprint(secret: string): Fingerprint {
  return keyedFingerprint(secret, fingerprintKey());
}

function placeholder(secret: string): string {
  const { hmacPrefix, length } = fingerprint(secret);
  return `[redacted hmac:${hmacPrefix} ${length} chars]`;
}

/** The forms a secret can take on the wire besides itself. */
function encodedForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
  return [...forms].filter((f) => f.length >= 6);
}

/**
 * Replaces every occurrence of the given secrets (and their encoded forms) and every value of a
 * secret-named JSON or form field with a placeholder.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 6) continue;
    for (const form of encodedForms(secret)) out = out.split(form).join(placeholder(secret));
  }
  out = out.replace(JSON_FIELD, (_m, key: string, value: string) =>
    value.startsWith('[redacted') ? `${key}"${value}"` : `${key}"${placeholder(value)}"`,
  );
  out = out.replace(FORM_FIELD, (_m, sep: string, key: string, value: string) =>
    value.startsWith('%5Bredacted') || value.startsWith('[redacted') || value === ''
      ? `${sep}${key}=${value}`
      : `${sep}${key}=${encodeURIComponent(placeholder(decodeURIComponentSafe(value)))}`,
  );
  out = out.replace(AUTH_SCHEME, (m, scheme: string) => (m.includes('[redacted') ? m : `${scheme} [redacted]`));
  return out;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Header list for the timeline: credentials and cookies are replaced, the scheme of Authorization kept. */
export function redactHeaders(
  headers: Iterable<[string, string]>,
  secrets: readonly string[] = [],
): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      const scheme = value.split(/\s+/)[0] ?? '';
      out.push([name, `${scheme} [redacted]`]);
    } else if (SENSITIVE_HEADERS.has(lower)) {
      out.push([name, '[redacted]']);
    } else {
      out.push([name, redactText(value, secrets)]);
    }
  }
  return out;
}

/** A URL with secret-named query parameters and known secrets replaced. */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  return redactText(url, secrets);
}
