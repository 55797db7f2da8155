import 'server-only';
import {
  DOWNLOAD_EXCHANGE_HEADER,
  DOWNLOAD_KIND_HEADER,
  DOWNLOAD_UPSTREAM_STATUS_HEADER,
  type ExchangeDto,
  type SimulatedFailure,
} from '@/lib/contract/schemas';
import { HttpError } from '@/lib/http/errors';
import { openOutboundStream } from '@/lib/http/outbound-stream';
import { simulationHeaders } from '@/lib/http/simulation';
import { isThisServer, type ResolvedEnvironment } from '@/lib/providers/resolve';
import type { StoredToken } from '@/lib/session/vault';
import type { DpopProofDto } from '@/lib/contract/dpop';
import { sendWithDpop, withDpopProof, type DpopResourceContext } from '@/lib/oauth/dpop';
import { buildFhirCall, toProxyResponse } from './proxy';

/** Until the upstream's headers arrive. A bulk file server answers at once; its body may take minutes. */
const HEADERS_TIMEOUT_MS = 30_000;
/** The longest silence tolerated inside a body before the download is called broken. */
const IDLE_TIMEOUT_MS = 30_000;
/**
 * The only types a download is served as: what Bulk Data files are (FHIR Bulk Data §output: `application/fhir+ndjson`)
 * and plain data. Anything else (HTML, SVG, script) could render or run on the console's origin if opened.
 */
const DOWNLOAD_TYPES = new Set(['application/fhir+ndjson', 'application/ndjson', 'application/json', 'application/octet-stream']);
/** Other names in use for the same formats. */
const DOWNLOAD_TYPE_ALIASES: Record<string, string> = { 'application/x-ndjson': 'application/ndjson' };

/**
 * Streams one file (a bulk export's NDJSON output) from the environment to the page with the session's token.
 * The BFF holds one chunk at a time, never the file: peak memory does not grow with the file's size. The token is
 * redacted from the body as it passes (an upstream echoing it), and the file is served only as NDJSON, JSON or
 * octet-stream, as an attachment. A 2xx is passed on as the body; any other answer comes back as a
 * `FhirProxyResponse` so the page can explain it (a 401 after the token expired, BCDA's 410 for a job past 24 hours).
 * Aborting `signal` (the page went away) stops the upstream read.
 */
export async function openFhirDownload(
  env: ResolvedEnvironment,
  token: StoredToken | null,
  path: string,
  recordExchange: (exchange: ExchangeDto) => Promise<void>,
  options: { signal?: AbortSignal; simulations?: readonly SimulatedFailure[]; acceptGzip?: boolean; dpop?: DpopResourceContext } = {},
): Promise<Response> {
  const { url, headers, usable } = buildFhirCall(env, token, { path, headers: {} }, 'application/fhir+ndjson');
  headers.push(...simulationHeaders(env.environment.kind, options.simulations));
  // As a proxy does, the page's preference goes on (RFC 9110 §12.5.3): a compressed file crosses the network in a
  // fraction of the bytes; the body is decoded here, where the token is redacted from it, and reaches the page plain.
  // Never to this process's own sandboxes: there compressing and decoding would only cost CPU.
  if (options.acceptGzip && !isThisServer(env.apiOrigin)) headers.push(['Accept-Encoding', 'gzip']);
  let proof: DpopProofDto | undefined;
  const record = (exchange: ExchangeDto) => recordExchange(withDpopProof(exchange, proof));
  const open = (attempt: { headers: [string, string][]; proof?: DpopProofDto; proofJwt?: string }) => {
    proof = attempt.proof;
    return openOutboundStream(
      {
        method: 'GET',
        url,
        headers: [...headers, ...attempt.headers],
        allowedOrigin: env.apiOrigin,
        timeoutMs: HEADERS_TIMEOUT_MS,
        idleTimeoutMs: IDLE_TIMEOUT_MS,
        signal: options.signal,
        publicAddressesOnly: env.environment.userSupplied,
      },
      { kind: 'fhir', providerId: env.provider.id, environmentId: env.environment.id, secrets: [...(usable ? [usable.accessToken] : []), ...(attempt.proofJwt ? [attempt.proofJwt] : [])] },
      record,
    );
  };
  // RFC 9449 §9: a resource server's nonce challenge comes as a 401 answer, before any file byte.
  const { result } = await sendWithDpop(
    options.dpop,
    usable,
    'GET',
    url,
    open,
    (opened) => (opened.ok && opened.kind === 'response' ? opened.response : opened.ok ? { status: opened.stream.status, headers: [...new Headers(opened.stream.headers).entries()] } : null),
    async (opened) => {
      if (opened.ok && opened.kind === 'response') await record(opened.exchange);
    },
  );
  if (!result.ok) {
    await record(result.exchange);
    throw new HttpError(result.failure.code === 'upstream_timeout' ? 504 : 502, result.failure.code, result.failure.message, {
      exchangeId: result.exchange.id,
    });
  }
  if (result.kind === 'response') {
    await record(result.exchange);
    return Response.json(toProxyResponse(result.response, result.exchange, usable, 20), {
      headers: {
        [DOWNLOAD_KIND_HEADER]: 'response',
        [DOWNLOAD_EXCHANGE_HEADER]: result.exchange.id,
        [DOWNLOAD_UPSTREAM_STATUS_HEADER]: String(result.response.status),
      },
    });
  }
  const { stream } = result;
  const upstream = new Headers(stream.headers);
  const responseHeaders = new Headers({
    'Content-Type': downloadContentType(stream.contentType),
    'Content-Disposition': `attachment; filename="${fileNameOf(url)}"`,
    'X-Content-Type-Options': 'nosniff',
    [DOWNLOAD_KIND_HEADER]: 'stream',
    [DOWNLOAD_UPSTREAM_STATUS_HEADER]: String(stream.status),
  });
  const exchangeId = stream.exchangeId;
  responseHeaders.set(DOWNLOAD_EXCHANGE_HEADER, exchangeId);
  // fetch() decodes a compressed body, so a compressed length would not match what the page receives.
  const length = upstream.get('content-length');
  if (length && !upstream.get('content-encoding')) responseHeaders.set('Content-Length', length);
  return new Response(stream.body, { status: 200, headers: responseHeaders });
}

/**
 * The Content-Type a download is served with: the upstream's media type when it is one of `DOWNLOAD_TYPES` (its
 * parameters dropped), `application/octet-stream` otherwise, missing included. Always with `attachment` and `nosniff`.
 */
export function downloadContentType(upstream: string | null): string {
  const essence = upstream?.split(';')[0]?.trim().toLowerCase() ?? '';
  const type = DOWNLOAD_TYPE_ALIASES[essence] ?? essence;
  return DOWNLOAD_TYPES.has(type) ? type : 'application/octet-stream';
}

/** A safe file name for Content-Disposition: the URL's last segment, limited to plain characters. */
function fileNameOf(url: URL): string {
  const last = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  const safe = last.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  return safe || 'download.ndjson';
}
