export type CountdownState = 'fresh' | 'expiring' | 'expired';

/** Under two minutes left, a token is "expiring soon": too short for a bulk kick-off plus a few polls. */
export const EXPIRING_SOON_MS = 2 * 60_000;

export interface Countdown {
  remainingMs: number;
  state: CountdownState;
  /** `mm:ss`, or `h:mm:ss` past an hour; `00:00` once expired. */
  label: string;
  /** Remaining share of the lifetime, 0–1 (1 when the issue time is unknown and the token is live). */
  fraction: number;
}

/** Whole seconds rounded up, so `00:00` appears exactly at expiry and not a second early. */
export function formatCountdown(remainingMs: number): string {
  const total = Math.max(0, Math.ceil(remainingMs / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** Countdown to `expiresAtMs` as seen at `nowMs` (both on the server's clock). */
export function getCountdown(expiresAtMs: number, nowMs: number, issuedAtMs?: number): Countdown {
  const lifetimeMs = issuedAtMs === undefined ? Infinity : expiresAtMs - issuedAtMs;
  // The page's estimate of the server clock can trail it by a few hundred ms: never show more than the lifetime
  // (a 20-minute token reading 20:01).
  const remainingMs = Math.min(expiresAtMs - nowMs, Math.max(0, lifetimeMs));
  const state: CountdownState = remainingMs <= 0 ? 'expired' : remainingMs < EXPIRING_SOON_MS ? 'expiring' : 'fresh';
  const lifetime = issuedAtMs === undefined ? 0 : expiresAtMs - issuedAtMs;
  const fraction =
    remainingMs <= 0 ? 0 : lifetime > 0 ? Math.min(1, Math.max(0, remainingMs / lifetime)) : 1;
  return { remainingMs, state, label: formatCountdown(remainingMs), fraction };
}
