import 'server-only';
import type { JSONWebKeySet } from 'jose';
import { readCappedText } from '@/lib/contract/capped-body';
import type { SmartClient } from './clients';
import type { ConsoleHost } from '../host';
import { consoleJwksFetchUrl } from './console-jwks';

/**
 * The public keys of a private_key_jwt client: its registered `jwks`, or the console JWKS its `jwks_uri` names,
 * fetched from the console's own address only (./console-jwks) with a 5 s timeout, no redirects and a size cap,
 * cached for 60 s. An assertion naming a `kid` the cached set lacks triggers one refetch, so a key the client just
 * rotated in works at once.
 * @see https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html#signature-verification
 */

/**
 * The one answer for every way reading a jwks_uri can fail (refused address, no answer, an HTTP status, a redirect,
 * too large, not JSON, not a JWKS): the client learns nothing about what answered, or whether anything did.
 */
export const JWKS_UNREADABLE =
  "The client's JWKS could not be read from its jwks_uri. This server reads keys only from the console's own JWKS URL " +
  '(/jwks/{id}, as shown under Client keys); check that the key set still exists there, or register the keys inline as jwks.';

export interface JwksCache {
  /** The client's keys, or why they could not be had. */
  keysFor(client: SmartClient, kid: string | undefined, nowMs: number): Promise<{ jwks: JSONWebKeySet } | { problem: string }>;
}

export interface JwksCacheOptions {
  ttlMs?: number;
  timeoutMs?: number;
  maxBytes?: number;
  /** Entries kept at most; the oldest is dropped. */
  capacity?: number;
}

export function createJwksCache(consoleHost: ConsoleHost, options: JwksCacheOptions = {}): JwksCache {
  const { ttlMs = 60_000, timeoutMs = 5_000, maxBytes = 256 * 1024, capacity = 500 } = options;
  const cache = new Map<string, { jwks: JSONWebKeySet; fetchedAt: number }>();
  return {
    async keysFor(client, kid, nowMs) {
      if (client.jwks) return { jwks: client.jwks };
      if (!client.jwksUri) return { problem: `The client "${client.clientId}" registered neither jwks nor jwks_uri.` };
      // Checked again at use: a registration kept from before a configuration change, or put in the store directly.
      const target = consoleJwksFetchUrl(client.jwksUri, consoleHost);
      if ('problem' in target) return { problem: JWKS_UNREADABLE };
      const uri = target.url;
      const cached = cache.get(uri);
      const knowsKid = (jwks: JSONWebKeySet) => kid === undefined || jwks.keys.some((key) => key.kid === kid);
      if (cached && nowMs - cached.fetchedAt < ttlMs && knowsKid(cached.jwks)) return { jwks: cached.jwks };
      const fetched = await fetchJwks(uri, timeoutMs, maxBytes);
      if ('problem' in fetched) return fetched;
      cache.delete(uri);
      cache.set(uri, { jwks: fetched.jwks, fetchedAt: nowMs });
      if (cache.size > capacity) cache.delete(cache.keys().next().value ?? uri);
      return fetched;
    },
  };
}

async function fetchJwks(uri: string, timeoutMs: number, maxBytes: number): Promise<{ jwks: JSONWebKeySet } | { problem: string }> {
  const unreadable = { problem: JWKS_UNREADABLE };
  let response: Response;
  try {
    response = await fetch(uri, {
      headers: { Accept: 'application/json' },
      redirect: 'manual',
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return unreadable;
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    return unreadable;
  }
  const text = response.body ? await readCappedText(response.body, maxBytes).catch(() => null) : '';
  if (text === null) return unreadable;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return unreadable;
  }
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { keys?: unknown }).keys)) return unreadable;
  return { jwks: body as JSONWebKeySet };
}
