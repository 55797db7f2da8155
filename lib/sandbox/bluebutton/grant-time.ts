import 'server-only';
/** Calendar arithmetic for data-access grants. */

/** `ms` plus whole calendar months in UTC, the day clamped to the target month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const target = new Date(ms);
  target.setUTCDate(1);
  target.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime();
}

/** `access_grant_expiration`'s form in Blue Button's docs: `2025-09-05 19:17:53Z`. */
export function formatGrantExpiration(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `YYYY-MM-DD` in UTC. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
