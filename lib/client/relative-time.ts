/**
 * "in 19 min", "2 min ago", "in 45 s", "just now". Rounds to the nearest unit; `now` is passed in so callers can
 * use the server clock.
 */
export function formatRelativeTime(targetMs: number, nowMs: number): string {
  const diffSeconds = Math.round((targetMs - nowMs) / 1000);
  const abs = Math.abs(diffSeconds);
  if (abs < 5) return 'just now';
  let amount: string;
  if (abs < 60) amount = `${abs} s`;
  else if (abs < 3600) amount = `${Math.round(abs / 60)} min`;
  else if (abs < 48 * 3600) amount = `${Math.round(abs / 3600)} h`;
  else amount = `${Math.round(abs / 86_400)} days`;
  return diffSeconds > 0 ? `in ${amount}` : `${amount} ago`;
}

/**
 * DTO times are epoch milliseconds; JWT NumericDates are seconds (RFC 7519 §2). Anything below 1e11 is read as
 * seconds, which is unambiguous until the year 5138.
 */
export function epochToMs(value: number): number {
  return Math.abs(value) < 1e11 ? value * 1000 : value;
}

/** `14:03:27` (24-hour, like a log) in the viewer's time zone. */
export function formatClockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}

/** `Aug 22, 2026, 20:44:01` in the viewer's locale and zone. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
