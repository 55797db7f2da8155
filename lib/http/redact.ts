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
const FIELD_NAMES = SECRET_FIELDS.join('|');
const JSON_FIELD = new RegExp(`("(?:${FIELD_NAMES})"\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'g');
// The same field inside a JSON string, quotes escaped: an upstream echoing a JSON request body in its error message.
const ESCAPED_JSON_FIELD = new RegExp(`(\\\\"(?:${FIELD_NAMES})\\\\"\\s*:\\s*\\\\")((?:[^"\\\\]|\\\\[^"])*)(\\\\")`, 'g');
// An authorization `code` is secret in a form body or query string; in JSON, `code` is FHIR's coding field.
// A form value never holds a raw `"`, `\`, `<` or `>` (form encoding escapes them), so they end a value quoted in text.
const FORM_FIELD = new RegExp(`(^|[?&\\s"'])(${[...SECRET_FIELDS, 'code'].join('|')})=([^&#\\s"\\\\<>]*)`, 'g');
const AUTH_SCHEME = /\b(Bearer|Basic|DPoP)\s+([A-Za-z0-9\-._~+/=]{8,})/gi;
/** A plain word after a scheme name is prose ("HTTP Basic Authorization header"), not a credential. */
const PLAIN_WORD = /^[A-Z]?[a-z]+\.?$/;
// `dpop`: a signed proof a server accepts again within its time window (RFC 9449 §11.1); the page shows it decoded.
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'dpop']);
/** Headers named for a credential beyond the list above (`x-auth-token`, `x-client-secret` …). */
const SECRET_HEADER_NAME = /token|secret|api-?key|password/i;
/** An auth-scheme name (RFC 9110 §11.1): kept in front of `[redacted]` so the reader still sees Basic or Bearer. */
const SCHEME_NAME = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,19}$/;
/** Shorter secrets are not searched for verbatim: they would match ordinary text. */
const MIN_SECRET_LENGTH = 6;
/** A base64 run of fewer characters than this could be chance, not a secret's encoding. */
const MIN_BASE64_CORE = 8;

/** A stable, non-reversible name for a secret: the first 12 hex digits of its HMAC-SHA256 under the server's key. */
export function fingerprint(secret: string): Fingerprint {
  return keyedFingerprint(secret, fingerprintKey());
}

function placeholder(secret: string): string {
  const { hmacPrefix, length } = fingerprint(secret);
  return `[redacted hmac:${hmacPrefix} ${length} chars]`;
}

/**
 * The forms a secret takes in text besides itself: percent-encoded (RFC 3986 and form encoding, which differ on
 * `~ ! ' ( ) *` and space), JSON-escaped, base64 and base64url.
 */
export function textForms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams([['', secret]]).toString().slice(1),
    JSON.stringify(secret).slice(1, -1),
    bytes.toString('base64'),
    bytes.toString('base64url'),
  ]);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * Base64 of a text that holds the secret at any offset (HTTP Basic's `base64(client_id:secret)`, an echoed header)
 * contains one of three runs that depend on the secret alone, one per alignment of the secret to base64's 3-byte
 * groups (RFC 4648 §4). Returned for each text form, in base64 and base64url.
 */
export function base64Cores(secret: string): string[] {
  const cores = new Set<string>();
  for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams([['', secret]]).toString().slice(1)])) {
    const bytes = Buffer.from(form);
    for (const skip of [0, 1, 2]) {
      const whole = bytes.subarray(skip, skip + Math.floor((bytes.length - skip) / 3) * 3);
      if ((whole.length / 3) * 4 < MIN_BASE64_CORE) continue;
      cores.add(whole.toString('base64'));
      cores.add(whole.toString('base64url'));
    }
  }
  return [...cores];
}

function isBase64Char(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47 || code === 45 || code === 95
  );
}

/** Replaces every base64 run holding one of `cores` (the whole run, padding included) with `mark`. */
function replaceBase64Runs(text: string, cores: readonly string[], mark: () => string): string {
  let out = text;
  for (const core of cores) {
    for (let at = out.indexOf(core); at !== -1; ) {
      let start = at;
      while (start > 0 && isBase64Char(out.charCodeAt(start - 1))) start--;
      let end = at + core.length;
      while (end < out.length && isBase64Char(out.charCodeAt(end))) end++;
      while (end < out.length && out[end] === '=') end++;
      const replacement = mark();
      out = out.slice(0, start) + replacement + out.slice(end);
      at = out.indexOf(core, start + replacement.length);
    }
  }
  return out;
}

/**
 * Replaces every occurrence of the given secrets (verbatim, percent-encoded, JSON-escaped, and inside base64 at any
 * offset) and every value of a secret-named JSON or form field with a placeholder, and the credential after
 * `Bearer`, `Basic` or `DPoP` with `[redacted]`.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    let mark: string | undefined;
    const markOf = () => (mark ??= placeholder(secret));
    // Base64 runs first, so `base64(client_id:secret)` goes as a whole rather than around the secret's own base64.
    out = replaceBase64Runs(out, base64Cores(secret), markOf);
    for (const form of textForms(secret)) if (out.includes(form)) out = out.split(form).join(markOf());
  }
  out = out.replace(JSON_FIELD, (_m, key: string, value: string) =>
    value.startsWith('[redacted') ? `${key}"${value}"` : `${key}"${placeholder(value)}"`,
  );
  out = out.replace(ESCAPED_JSON_FIELD, (m, key: string, value: string, end: string) =>
    value.startsWith('[redacted') ? m : `${key}${placeholder(value)}${end}`,
  );
  out = out.replace(FORM_FIELD, (_m, sep: string, key: string, value: string) =>
    value.startsWith('%5Bredacted') || value.startsWith('[redacted') || value === ''
      ? `${sep}${key}=${value}`
      : `${sep}${key}=${encodeURIComponent(placeholder(decodeURIComponentSafe(value)))}`,
  );
  out = out.replace(AUTH_SCHEME, (m, scheme: string, credential: string) => (PLAIN_WORD.test(credential) ? m : `${scheme} [redacted]`));
  return out;
}

/**
 * Every string inside a JSON-shaped value through {@link redactText} (field- and scheme-based; no known secrets):
 * the last line before an error body reaches the page.
 */
export function redactStrings<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  // Error bodies are a few levels deep; anything deeper is dropped rather than passed on unread.
  if (depth > 16) return '[omitted]' as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactStrings(v, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, depth + 1)])) as T;
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
      // A value without a scheme (`Authorization: <token>`) has no first word to keep: it is all credential.
      const [scheme, ...rest] = value.trim().split(/\s+/);
      out.push([name, scheme && rest.length > 0 && SCHEME_NAME.test(scheme) ? `${scheme} [redacted]` : '[redacted]']);
    } else if (SENSITIVE_HEADERS.has(lower) || SECRET_HEADER_NAME.test(lower)) {
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
