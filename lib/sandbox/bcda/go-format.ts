import 'server-only';
/**
 * Go's time formats, which BCDA exposes verbatim: `time.Time.String()` in the job `Expires` header and
 * RFC 3339 with nanoseconds (`json.Marshal` of a `time.Time`) in the manifest.
 */

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

// Go's ".999999999" layout trims trailing zeros and drops the dot when nothing is left.
function goFraction(milliseconds: number): string {
  if (milliseconds === 0) return '';
  return `.${pad(milliseconds, 3).replace(/0+$/, '')}`;
}

function utcParts(ms: number): { date: string; time: string; fraction: string } {
  const d = new Date(ms);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    fraction: goFraction(d.getUTCMilliseconds()),
  };
}

/** `2026-08-22 20:44:01.705 +0000 UTC`: Go's `time.Time.String()` for a UTC time. */
export function formatGoTimeString(ms: number): string {
  const { date, time, fraction } = utcParts(ms);
  return `${date} ${time}${fraction} +0000 UTC`;
}

/** `2026-08-22T20:44:01.705Z`: Go's `time.RFC3339Nano` for a UTC time. */
export function formatRfc3339Nano(ms: number): string {
  const { date, time, fraction } = utcParts(ms);
  return `${date}T${time}${fraction}Z`;
}

/** `2026-08-22T20:44:01Z`: the second-precision form BCDA uses in the CapabilityStatement and Task periods. */
export function formatRfc3339Seconds(ms: number): string {
  const { date, time } = utcParts(ms);
  return `${date}T${time}Z`;
}

const rfc3339Pattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses like Go's `time.Parse(time.RFC3339Nano, value)`: a capital `T`, `Z` or a `±hh:mm` offset, an optional
 * fraction, and every field range-checked. Returns epoch milliseconds, or undefined when Go would fail.
 */
export function parseRfc3339(value: string): number | undefined {
  const match = rfc3339Pattern.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMins = Number(zone.slice(4, 6));
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}
