/**
 * The server's redaction marks (lib/http/redact.ts), as they appear in exchanges: `[redacted]` in headers,
 * `[redacted hmac:abcdef012345 80 chars]` in bodies and URLs, percent-encoded inside form bodies and query strings.
 * Isomorphic: parses text only, never sees a secret.
 */

/**
 * `[redacted]` or `[redacted hmac:<hex> <n> chars]`; `sha256:` is the form of marks recorded before fingerprints were
 * keyed, which a vault may still hold.
 */
export const PLACEHOLDER_SOURCE = String.raw`\[redacted(?: (?:hmac|sha256):[0-9a-f]+ \d+ chars)?\]`;

const WHOLE_PLACEHOLDER = new RegExp(`^${PLACEHOLDER_SOURCE}$`);

/** The environment variable an integrator sets for a redacted field, by the field's name. */
const VARIABLE_BY_FIELD: Record<string, string> = {
  client_secret: 'CLIENT_SECRET',
  code: 'CODE',
  code_verifier: 'CODE_VERIFIER',
  refresh_token: 'REFRESH_TOKEN',
  access_token: 'ACCESS_TOKEN',
  id_token: 'ID_TOKEN',
  password: 'PASSWORD',
  client_assertion: 'CLIENT_ASSERTION',
  assertion: 'ASSERTION',
};

/** True when the whole value is a redaction mark, raw or percent-encoded (`%5Bredacted%20…%5D`, `+` for spaces). */
export function isPlaceholder(value: string): boolean {
  if (WHOLE_PLACEHOLDER.test(value)) return true;
  try {
    return WHOLE_PLACEHOLDER.test(decodeURIComponent(value.replace(/\+/g, ' ')));
  } catch {
    return false;
  }
}

/** `client_secret` → `CLIENT_SECRET`; unknown names are upper-snake-cased, so `x-api-key` → `X_API_KEY`. */
export function variableForField(field: string): string {
  const known = VARIABLE_BY_FIELD[field.toLowerCase()];
  if (known) return known;
  const name = field.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (name === '') return 'SECRET';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** A piece of text to emit: literal characters, or a reference to an environment variable. */
export type Segment = { literal: string } | { variable: string };

// A secret-named JSON string field whose value is a mark: `"client_secret": "[redacted …]"`.
const JSON_FIELD = String.raw`("([A-Za-z0-9_.-]+)"\s*:\s*")(${PLACEHOLDER_SOURCE})(")`;
// A form or query field whose value is a mark, raw or percent-encoded.
const FORM_FIELD = String.raw`(^|[?&])([^=&?#\s]+)=(${PLACEHOLDER_SOURCE}|%5Bredacted[^&#\s]*)`;
const BARE = PLACEHOLDER_SOURCE;

/**
 * Splits text (a URL, a header value, a body) into literal runs and variable references: each redaction mark becomes
 * the variable named after its field (`client_secret=[redacted …]` → `$CLIENT_SECRET`), a mark with no field name
 * becomes `fallback`.
 */
export function toSegments(text: string, fallback = 'SECRET'): Segment[] {
  const pattern = new RegExp(`${JSON_FIELD}|${FORM_FIELD}|${BARE}`, 'g');
  const segments: Segment[] = [];
  const pushLiteral = (literal: string) => {
    if (literal === '') return;
    const last = segments[segments.length - 1];
    if (last && 'literal' in last) last.literal += literal;
    else segments.push({ literal });
  };
  let cursor = 0;
  for (const match of text.matchAll(pattern)) {
    const [whole, jsonPrefix, jsonKey, , jsonSuffix, formSep, formKey, formValue] = match;
    const start = match.index;
    if (jsonPrefix !== undefined && jsonKey !== undefined && jsonSuffix !== undefined) {
      pushLiteral(text.slice(cursor, start) + jsonPrefix);
      segments.push({ variable: variableForField(jsonKey) });
      pushLiteral(jsonSuffix);
    } else if (formSep !== undefined && formKey !== undefined && formValue !== undefined) {
      pushLiteral(text.slice(cursor, start));
      if (isPlaceholder(formValue)) {
        pushLiteral(`${formSep}${formKey}=`);
        segments.push({ variable: variableForField(decodeSafe(formKey)) });
      } else {
        pushLiteral(whole);
      }
    } else {
      pushLiteral(text.slice(cursor, start));
      segments.push({ variable: fallback });
    }
    cursor = start + whole.length;
  }
  pushLiteral(text.slice(cursor));
  return segments;
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
