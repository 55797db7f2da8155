import 'server-only';
import type { JSONWebKeySet } from 'jose';
import type { ExchangeDto } from '@/lib/api-client/schemas';
import { sendOutbound } from '@/lib/http/outbound';
import type { JwksSource } from '@/lib/jwt/verify';
import type { ResolvedEnvironment } from '@/lib/providers/resolve';

const JWKS_CACHE_MS = 5 * 60_000;
const JWKS_CACHE = Symbol.for('console.jwks.cache');
type JwksCache = Map<string, { jwks: JSONWebKeySet; fetchedAt: number }>;

/**
 * The environment's signing keys, fetched through the outbound client (so the fetch shows in the timeline)
 * and cached for a few minutes; `refresh` bypasses the cache when a token names an unknown `kid`.
 */
export function jwksSource(
  env: ResolvedEnvironment,
  recordExchange: (e: ExchangeDto) => Promise<void>,
  /** Sent as well: the built-in sandbox's failure simulation (see `simulationHeaders`). */
  extraHeaders: [string, string][] = [],
): JwksSource {
  const url = env.jwksUrl;
  if (!url) {
    return { kind: 'none', reason: `${env.environment.label} publishes no JWKS here, so the signature cannot be checked.` };
  }
  const g = globalThis as typeof globalThis & { [JWKS_CACHE]?: JwksCache };
  const cache = (g[JWKS_CACHE] ??= new Map());
  return {
    kind: 'jwks',
    load: async ({ refresh }) => {
      const cached = cache.get(url.toString());
      if (cached && !refresh && Date.now() - cached.fetchedAt < JWKS_CACHE_MS) return cached.jwks;
      const result = await sendOutbound(
        { method: 'GET', url, headers: [['Accept', 'application/json'], ...extraHeaders], allowedOrigin: env.origin, timeoutMs: 10_000 },
        { kind: 'text', maxBytes: 256 * 1024 },
        { kind: 'jwks', providerId: env.provider.id, environmentId: env.environment.id, secrets: [] },
      );
      await recordExchange(result.exchange);
      if (!result.ok) throw new Error(result.failure.message);
      if (result.response.status !== 200) throw new Error(`${url} answered ${result.response.status}`);
      const jwks = JSON.parse(result.response.text) as JSONWebKeySet;
      if (!Array.isArray(jwks.keys)) throw new Error(`${url} is not a JWKS (no "keys" array)`);
      cache.set(url.toString(), { jwks, fetchedAt: Date.now() });
      return jwks;
    },
  };
}
