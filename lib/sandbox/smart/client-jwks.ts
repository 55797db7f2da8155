import type { JSONWebKeySet } from 'jose';
import { readCappedText } from '@/lib/sandbox/shared/read-capped';
import type { SmartClient } from './clients';

/**
 * The public keys of a private_key_jwt client: its registered `jwks`, or its `jwks_uri` fetched with a 5 s timeout,
 * no redirects and a size cap, cached for 60 s. An assertion naming a `kid` the cached set lacks triggers one
 * refetch, so a key the client just rotated in works at once.
 * @see https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html#signature-verification
 */

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

export function createJwksCache(options: JwksCacheOptions = {}): JwksCache {
  const { ttlMs = 60_000, timeoutMs = 5_000, maxBytes = 256 * 1024, capacity = 500 } = options;
  const cache = new Map<string, { jwks: JSONWebKeySet; fetchedAt: number }>();
  return {
    async keysFor(client, kid, nowMs) {
      if (client.jwks) return { jwks: client.jwks };
      const uri = client.jwksUri;
      if (!uri) return { problem: `The client "${client.clientId}" registered neither jwks nor jwks_uri.` };
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
  const failed = (why: string) => ({ problem: `The client's JWKS could not be read from ${uri}: ${why}.` });
  let response: Response;
  try {
    response = await fetch(uri, {
      headers: { Accept: 'application/json' },
      redirect: 'manual',
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return failed(timedOut ? `no answer within ${timeoutMs / 1000} s` : 'the server could not be reached');
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    return failed(`it answered ${response.status} (a redirect), and redirects are not followed`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return failed(`it answered HTTP ${response.status}`);
  }
  const text = response.body ? await readCappedText(response.body, maxBytes) : '';
  if (text === null) return failed(`the document is larger than ${maxBytes} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return failed('the answer is not JSON');
  }
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { keys?: unknown }).keys)) {
    return failed('the answer is not a JWKS (no "keys" array)');
  }
  return { jwks: body as JSONWebKeySet };
}
