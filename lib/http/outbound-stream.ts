import 'server-only';
import type { IncomingMessage } from 'node:http';
import type { ExchangeDto } from '@/lib/contract/schemas';
import {
  DEFAULT_TIMEOUT_MS,
  describeNetworkFailure,
  describeRequest,
  formatWait,
  assertAllowedTarget,
  readNodeResponse,
  type ExchangeContext,
  type OutboundFailureCode,
  type OutboundRequest,
  type OutboundResponse,
} from './outbound';
import { decode, headerPairs, send } from './node-request';
import { redactHeaders } from './redact';
import { StreamRedactor } from './stream-redact';

export interface OutboundStream {
  status: number;
  statusText: string;
  headers: [string, string][];
  contentType: string | null;
  /** Milliseconds until the response headers arrived. */
  headersMs: number;
  /** The id the exchange will be recorded under when the body ends. */
  exchangeId: string;
  /**
   * The body as it arrives, never buffered whole, with the exchange's secrets redacted (`StreamRedactor`). Stalls
   * longer than the idle timeout and aborts of `signal` end it with an error; its end (complete, failed or cancelled)
   * records the exchange once, with the bytes that passed.
   */
  body: ReadableStream<Uint8Array>;
}

export type OutboundStreamResult =
  | { ok: true; kind: 'stream'; stream: OutboundStream }
  /** A status other than 2xx: the (small) body is read whole, as `sendOutbound` would. */
  | { ok: true; kind: 'response'; response: OutboundResponse; exchange: ExchangeDto }
  | { ok: false; failure: { code: OutboundFailureCode; message: string }; exchange: ExchangeDto };

/** What the page's reader may lag behind before the upstream socket is paused (backpressure). */
const BUFFERED_BYTES = 1024 * 1024;

/**
 * Like `sendOutbound` but hands the body on as a stream, for files far larger than the BFF should hold (bulk
 * NDJSON). The same policy applies: origin allowlist, no redirects, a timeout for the headers, redaction (of the
 * recorded exchange and of the body passed on), and an exchange recorded when the body ends. It speaks node:http(s)
 * rather than fetch: at hundreds of MB/s, fetch's web-stream plumbing costs about twice the CPU per megabyte
 * (measured by `npm run bench`).
 */
export async function openOutboundStream(
  request: OutboundRequest & { idleTimeoutMs: number; signal?: AbortSignal },
  context: ExchangeContext,
  recordExchange: (exchange: ExchangeDto) => Promise<void>,
): Promise<OutboundStreamResult> {
  assertAllowedTarget(request.url, request.allowedOrigin);
  const started = performance.now();
  const exchangeBase = describeRequest(request, context);
  const controller = new AbortController();
  const abortFromCaller = () => controller.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', abortFromCaller, { once: true });
  let timedOut = false;
  const headersTimer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs ?? DEFAULT_TIMEOUT_MS);

  let res: IncomingMessage;
  try {
    res = await send(request, controller.signal);
    if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) {
      request.signal?.removeEventListener('abort', abortFromCaller);
      // An error answer is small and read whole, still under the headers timeout.
      return { ok: true, kind: 'response', ...(await readNodeResponse(res, { kind: 'text' }, context, exchangeBase, started)) };
    }
  } catch (error) {
    request.signal?.removeEventListener('abort', abortFromCaller);
    const failure = describeNetworkFailure(error, request.url, timedOut);
    const exchange: ExchangeDto = { ...exchangeBase, status: null, durationMs: Math.round(performance.now() - started), response: null, error: failure.message };
    return { ok: false, failure, exchange };
  } finally {
    clearTimeout(headersTimer);
  }

  const status = res.statusCode;
  const headers = headerPairs(res);
  const source = decode(res);
  // SECURITY.md rule 15: an upstream that echoes the token it was sent must not hand it to the page.
  const redactor = new StreamRedactor(context.secrets);
  let bytes = 0;
  let recorded = false;
  const record = (error?: string) => {
    if (recorded) return;
    recorded = true;
    request.signal?.removeEventListener('abort', abortFromCaller);
    clearInterval(watchdog);
    const exchange: ExchangeDto = {
      ...exchangeBase,
      status,
      durationMs: Math.round(performance.now() - started),
      response: { headers: redactHeaders(headers, context.secrets), body: null, bodyTruncated: bytes > 0, size: bytes },
      ...(error ? { error } : {}),
    };
    void recordExchange(exchange).catch(() => undefined);
  };
  let lastChunkAt = performance.now();
  // One watchdog per stream rather than a timer per chunk: chunks arrive by the thousand.
  const watchdog = setInterval(() => {
    if (performance.now() - lastChunkAt > request.idleTimeoutMs) {
      timedOut = true;
      res.destroy(new Error('idle'));
    }
  }, Math.min(1000, request.idleTimeoutMs));
  const brokenOff = (error?: Error) =>
    timedOut
      ? `${request.url.host} sent nothing for ${formatWait(request.idleTimeoutMs)}; the download was stopped after ${bytes} bytes.`
      : `The download from ${request.url.host} broke off after ${bytes} bytes${error?.message ? ` (${error.message})` : ''}.`;

  /** Set once the stream is closed, errored or cancelled: socket events still queued must not touch it. */
  let settled = false;
  const body = new ReadableStream<Uint8Array>(
    {
      start(out) {
        source.on('data', (chunk: Buffer) => {
          if (settled) return;
          lastChunkAt = performance.now();
          bytes += chunk.byteLength;
          const passed = redactor.push(chunk);
          if (passed) out.enqueue(passed);
          if ((out.desiredSize ?? 1) <= 0) source.pause();
        });
        source.once('end', () => {
          if (settled) return;
          settled = true;
          const rest = redactor.end();
          if (rest) out.enqueue(rest);
          record();
          out.close();
        });
        const fail = (error?: Error) => {
          if (settled) return;
          settled = true;
          const message = brokenOff(error);
          record(message);
          // The held-back bytes hold no whole secret: the page gets every byte that arrived, as at a normal end.
          const rest = redactor.end();
          if (rest) out.enqueue(rest);
          out.error(new Error(message));
        };
        source.once('error', fail);
        // A connection that closes before the body's end may not say so with an error.
        res.once('close', () => {
          if (!res.complete) setImmediate(() => fail(new Error('connection closed')));
        });
      },
      pull() {
        source.resume();
      },
      cancel() {
        if (settled) return;
        settled = true;
        record(`The download was cancelled after ${bytes} bytes.`);
        res.destroy();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: BUFFERED_BYTES }),
  );
  return {
    ok: true,
    kind: 'stream',
    stream: {
      status,
      statusText: res.statusMessage ?? '',
      headers,
      contentType: res.headers['content-type'] ?? null,
      headersMs: Math.round(performance.now() - started),
      exchangeId: exchangeBase.id,
      body,
    },
  };
}
