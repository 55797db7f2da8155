import 'server-only';
import type { CandidSigningKey } from './keys';
import type { RateLimiter } from '../shared/rate-limit';

/** The state and settings one sandbox instance shares across its handlers. */
export interface CandidContext {
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now(): number;
  getSigningKey(): Promise<CandidSigningKey>;
  tokenLimiter: RateLimiter;
  /** Lifetime of minted access tokens, the `expires_in` of the token response. */
  tokenLifetimeSeconds: number;
  /** Where the sandbox is mounted on the public origin, e.g. `/sandbox/candid`. */
  mountPath: string;
}

/** The public base URL of the sandbox for this request: the console's origin plus the mount path. */
export function getBaseUrl(context: CandidContext, request: Request): string {
  return `${new URL(request.url).origin}${context.mountPath}`;
}

/** "5 hours", "90 minutes", "45 seconds": a lifetime in the words of Candid's docs. */
export function describeLifetime(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}
