import { epochToMs } from '@/lib/client/relative-time';
import type { TokenDto } from '@/lib/contract/schemas';
import { describeRawValue, formatFingerprint } from './token-utils';

type FactValue = TokenDto['responseFacts'][string];

export type FactDisplay =
  /** A secret the server holds: shown masked or not at all. */
  | { kind: 'held'; text: string }
  /** A point in time: a date-like string or epoch seconds in a `…_at` field. */
  | { kind: 'time'; raw: string; ms: number }
  /** Seconds of lifetime (`expires_in`, Keycloak's `refresh_expires_in`). */
  | { kind: 'duration'; raw: string; type: string; seconds: number }
  /** Anything else, as a JSON literal so the type shows: `"-20140000000001"`, `1800`, `null`. */
  | { kind: 'literal'; raw: string; empty: boolean };

export interface TokenResponseRow {
  name: string;
  value: FactDisplay;
  /** Defined by RFC 6749 §5.1; the rest are the provider's additions. */
  standard: boolean;
}

/**
 * What the standard fields of token responses mean (RFC 6749 §5.1, SMART App Launch's launch context). A provider's
 * own fields, and its meaning of these, come from its provider file (`claimGlossary`).
 */
export const RESPONSE_FIELD_DESCRIPTIONS: Readonly<Record<string, string>> = {
  access_token: 'the bearer token; the server holds it, this page sees it masked',
  token_type: 'how to present it (RFC 6750: Bearer)',
  expires_in: 'lifetime in seconds, counted from the response',
  refresh_token: 'gets a new access token without the user; held by the server',
  scope: 'what was granted (RFC 6749 §3.3)',
  id_token: 'who signed in, signed by the server (OpenID Connect)',
  patient: 'the patient the token is about (SMART launch context)',
  encounter: 'the encounter in context (SMART launch context)',
  need_patient_banner: 'whether the app must show the patient’s name (SMART launch context)',
};

/** ISO 8601 dates and date-times, also with a space for the T (`2025-09-05 19:17:53Z`, Blue Button). */
const DATE_LIKE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch-milliseconds of a date-like string, or null. */
export function parseDateLike(text: string): number | null {
  const match = DATE_LIKE.exec(text.trim());
  if (!match) return null;
  const [, date, time, zone] = match;
  const iso = time ? `${date}T${time}${zone ? zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : ''}` : `${date}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** Plausible epoch seconds or milliseconds (2001 … 2286). */
function isEpoch(value: number): boolean {
  return Number.isFinite(value) && ((value >= 1e9 && value < 1e10) || (value >= 1e12 && value < 1e13));
}

const TIME_FIELD = /(^|_)(at|iat|exp|nbf|time|timestamp)$/;
const DURATION_FIELD = /(^|_)expires_in$/;

/** How to show one field of a token response. */
export function describeFactValue(name: string, value: FactValue | undefined): FactDisplay {
  const raw = JSON.stringify(value) ?? 'undefined';
  if (typeof value === 'string') {
    const ms = parseDateLike(value);
    if (ms !== null) return { kind: 'time', raw, ms };
  }
  if (typeof value === 'number' && TIME_FIELD.test(name) && isEpoch(value)) {
    return { kind: 'time', raw, ms: epochToMs(value) };
  }
  if (DURATION_FIELD.test(name)) {
    const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (Number.isFinite(seconds)) return { kind: 'duration', raw, type: typeof value, seconds };
  }
  return { kind: 'literal', raw, empty: value === '' || value === null };
}

/** `45 s`, `30 min`, `1 h`, `1 h 30 min`, `13 days`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  // Rounded to the minute first, so 7199 s is 2 h, not 1 h 60 min.
  const totalMinutes = Math.round(s / 60);
  if (totalMinutes < 60) return `${totalMinutes} min`;
  if (s < 2 * 86_400) {
    const hours = Math.floor(totalMinutes / 60);
    const minutes = totalMinutes % 60;
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  return `${Math.round(s / 86_400)} days`;
}

/**
 * The token response as the page may see it: the standard fields (RFC 6749 §5.1) with the secrets held back,
 * then the provider's non-standard, non-secret fields in the order the server listed them.
 */
export function buildTokenResponseRows(token: TokenDto): TokenResponseRow[] {
  const expiresIn = describeRawValue(token.expiresInRaw);
  const expiresDisplay = describeFactValue(
    'expires_in',
    typeof token.expiresInRaw === 'number' || typeof token.expiresInRaw === 'string' ? token.expiresInRaw : undefined,
  );
  const rows: TokenResponseRow[] = [
    { name: 'access_token', value: { kind: 'held', text: token.maskedToken }, standard: true },
    { name: 'token_type', value: describeFactValue('token_type', token.tokenType), standard: true },
    {
      name: 'expires_in',
      value: expiresDisplay.kind === 'duration' ? expiresDisplay : { kind: 'literal', raw: expiresIn.text, empty: false },
      standard: true,
    },
  ];
  if (token.refresh) {
    rows.push({ name: 'refresh_token', value: { kind: 'held', text: formatFingerprint(token.refresh.fingerprint) }, standard: true });
  }
  if (token.scope !== undefined) rows.push({ name: 'scope', value: describeFactValue('scope', token.scope), standard: true });
  for (const [name, value] of Object.entries(token.responseFacts)) {
    rows.push({ name, value: describeFactValue(name, value), standard: false });
  }
  return rows;
}
