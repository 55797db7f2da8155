import { getHeader } from './headers';
import type { ExchangeDto } from './schemas';

/**
 * Which protocol step a recorded exchange is. Both sides read it: the sequence diagram draws the steps, the
 * conformance checks (issue #18) pick the checks that apply to each. Pure, over the redacted DTOs.
 */
export type ExchangeStep =
  | 'par'
  | 'authorize'
  | 'callback'
  | 'client-credentials'
  | 'code-exchange'
  | 'refresh'
  | 'introspection'
  | 'discovery'
  | 'registration'
  | 'jwks'
  | 'api'
  | 'bulk-kickoff'
  | 'bulk-poll'
  | 'bulk-manifest'
  | 'bulk-download'
  | 'bulk-cancel'
  | 'other';

/**
 * A classifier for one session's exchanges, fed in the order they were recorded: a bulk status URL or file is known
 * only from the kick-off and manifest before it (Bulk Data IG 2.0: the kick-off answers 202 with Content-Location, the
 * status URL answers 202 until the manifest, whose `output[].url` are the files).
 */
export function createExchangeClassifier(): (exchange: ExchangeDto) => ExchangeStep {
  const statusUrls = new Set<string>();
  const fileUrls = new Set<string>();
  const bulkStep = (exchange: ExchangeDto): ExchangeStep => {
    const url = exchange.url;
    // A status URL may itself contain `$export` (1upHealth: `…/$export/{job}`): known status URLs come first.
    if (statusUrls.has(url)) {
      if (exchange.method === 'DELETE') return 'bulk-cancel';
      if (exchange.status === 200) {
        for (const file of manifestFileUrls(exchange.response?.body ?? null)) fileUrls.add(file);
        return 'bulk-manifest';
      }
      return 'bulk-poll';
    }
    if (fileUrls.has(url)) return 'bulk-download';
    const lastSegment = safeUrl(url)?.pathname.split('/').pop()?.toLowerCase();
    if (lastSegment === '$export' || lastSegment === '%24export') {
      const location = exchange.response && getHeader(exchange.response.headers, 'content-location');
      if (location) statusUrls.add(location);
      return 'bulk-kickoff';
    }
    return 'api';
  };
  return (exchange) => {
    switch (exchange.kind) {
      case 'par':
      case 'authorize':
      case 'callback':
      case 'jwks':
        return exchange.kind;
      case 'token': {
        const grant = grantTypeOf(exchange);
        if (grant === 'refresh_token') return 'refresh';
        if (grant === 'authorization_code') return 'code-exchange';
        if (grant === 'client_credentials') return 'client-credentials';
        // BCDA and Candid send no grant_type: the recipe is client credentials (RFC 6749 §4.4 by another name).
        return exchange.request.body?.includes('code=') ? 'code-exchange' : 'client-credentials';
      }
      case 'other': {
        const path = safeUrl(exchange.url)?.pathname ?? '';
        if (/introspect/i.test(path)) return 'introspection';
        if (/register/i.test(path) && exchange.method === 'POST') return 'registration';
        if (/\.well-known\/|\/metadata$/.test(path)) return 'discovery';
        return 'other';
      }
      case 'fhir':
        return bulkStep(exchange);
    }
  };
}

/** The files a Bulk Data manifest lists (`output[].url` and `error[].url`); none when the body is not one. */
export function manifestFileUrls(body: string | null): string[] {
  if (!body) return [];
  try {
    const manifest = JSON.parse(body) as { output?: { url?: unknown }[]; error?: { url?: unknown }[] };
    return [...(manifest.output ?? []), ...(manifest.error ?? [])].flatMap((o) => (typeof o.url === 'string' ? [o.url] : []));
  } catch {
    return [];
  }
}

/** The parameters a token or introspection request sent: the query, then a form or JSON body. */
export function requestParams(exchange: Pick<ExchangeDto, 'url' | 'request'>): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of safeUrl(exchange.url)?.searchParams ?? []) params.set(k, v);
  const body = exchange.request.body;
  if (!body) return params;
  if (body.trimStart().startsWith('{')) {
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      for (const [k, v] of Object.entries(json)) if (typeof v === 'string') params.set(k, v);
    } catch {
      // not JSON after all: nothing to read
    }
    return params;
  }
  for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  return params;
}

/** The `grant_type` a token request sent, wherever it put it; null when it sent none (BCDA, Candid). */
export function grantTypeOf(exchange: Pick<ExchangeDto, 'url' | 'request'>): string | null {
  return requestParams(exchange).get('grant_type') ?? null;
}

/** `new URL` that never throws: a recorded URL is text from the server, not trusted to parse. */
export function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
