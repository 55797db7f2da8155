import 'server-only';
import { exportJWK, importSPKI, importX509, type JSONWebKeySet } from 'jose';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { sendOutbound } from '@/lib/http/outbound';
import type { JwksSource } from '@/lib/jwt/verify';
import type { ResolvedEnvironment } from '@/lib/providers/resolve';

const KEYS_CACHE_MS = 5 * 60_000;
const KEYS_CACHE = Symbol.for('console.jwks.cache');
type KeysCache = Map<string, { jwks: JSONWebKeySet; fetchedAt: number }>;

/**
 * The environment's signing keys — its JWKS, or the PEM a provider publishes instead (Candid) — fetched through
 * the outbound client (so the fetch shows in the timeline) and cached for a few minutes; `refresh` bypasses the
 * cache when a token names an unknown `kid`.
 */
export function jwksSource(
  env: ResolvedEnvironment,
  recordExchange: (e: ExchangeDto) => Promise<void>,
  /** Sent as well: the built-in sandbox's failure simulation (see `simulationHeaders`). */
  extraHeaders: [string, string][] = [],
): JwksSource {
  const url = env.jwksUrl ?? env.signingKeyPemUrl;
  if (!url) {
    return { kind: 'none', reason: `${env.environment.label} publishes no JWKS here, so the signature cannot be checked.` };
  }
  const isPem = env.jwksUrl === undefined;
  const g = globalThis as typeof globalThis & { [KEYS_CACHE]?: KeysCache };
  const cache = (g[KEYS_CACHE] ??= new Map());
  return {
    kind: 'jwks',
    load: async ({ refresh, alg }) => {
      const cacheKey = `${url.toString()}#${isPem ? alg : ''}`;
      const cached = cache.get(cacheKey);
      if (cached && !refresh && Date.now() - cached.fetchedAt < KEYS_CACHE_MS) return cached.jwks;
      const result = await sendOutbound(
        {
          method: 'GET',
          url,
          headers: [['Accept', isPem ? 'application/x-pem-file, text/plain' : 'application/json'], ...extraHeaders],
          // A PEM's host is configured in the provider file; an absolute JWKS URL was checked when it was discovered.
          allowedOrigin: isPem || env.environment.jwksUrl ? url.origin : env.origin,
          timeoutMs: 10_000,
          publicAddressesOnly: env.environment.userSupplied,
        },
        { kind: 'text', maxBytes: 256 * 1024 },
        { kind: 'jwks', providerId: env.provider.id, environmentId: env.environment.id, secrets: [] },
      );
      await recordExchange(result.exchange);
      if (!result.ok) throw new Error(result.failure.message);
      if (result.response.status !== 200) throw new Error(`${url} answered ${result.response.status}`);
      const jwks = isPem ? await pemToJwks(result.response.text, alg) : (JSON.parse(result.response.text) as JSONWebKeySet);
      if (!Array.isArray(jwks.keys)) throw new Error(`${url} is not a JWKS (no "keys" array)`);
      cache.set(cacheKey, { jwks, fetchedAt: Date.now() });
      return jwks;
    },
  };
}

/** A PEM certificate or public key as a one-key JWKS for the token's algorithm (a PEM names no `kid`). */
export async function pemToJwks(pem: string, alg: string): Promise<JSONWebKeySet> {
  const text = pem.trim();
  const key = text.includes('BEGIN CERTIFICATE')
    ? await importX509(text, alg, { extractable: true })
    : text.includes('BEGIN PUBLIC KEY')
      ? await importSPKI(text, alg, { extractable: true })
      : null;
  if (!key) throw new Error('the PEM holds neither a certificate nor a public key');
  return { keys: [{ ...(await exportJWK(key)), alg, use: 'sig' }] };
}
