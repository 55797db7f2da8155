import 'server-only';
import { randomUUID } from 'node:crypto';
import type { ExchangeDto } from '@/lib/contract/schemas';
import type { IncomingMessage } from 'node:http';
import { redactHeaders, redactText, redactUrl } from './redact';
import { decode, headerPairs, NULL_BODY_STATUSES, send } from './node-request';
import { OutboundPolicyError } from './outbound-policy-error';

/**
 * The one outbound client: every server-side request to a provider goes through here.
 * It refuses origins other than the environment's, never follows redirects (a 3xx is shown, not followed with
 * the token), times out, caps what it reads, sends only the headers it is given, and records a redacted exchange.
 */

export type ExchangeKind = ExchangeDto['kind'];

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers: [string, string][];
  body?: string;
  /** The environment's origin; the URL must be on it (SSRF allowlist). */
  allowedOrigin: string;
  timeoutMs?: number;
  /** A server a user added: its host must resolve to public addresses only (see `address-policy`). */
  publicAddressesOnly?: boolean;
}

export type BodyReadMode = { kind: 'text'; maxBytes?: number } | { kind: 'ndjson-preview'; lines: number };

export interface ExchangeContext {
  kind: ExchangeKind;
  providerId: string;
  environmentId: string;
  /** Values to redact wherever they appear in the recorded exchange. */
  secrets: string[];
}

export interface OutboundResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  contentType: string | null;
  text: string;
  bytesRead: number;
  /** The body continued past what was read (size cap or preview). */
  truncated: boolean;
  durationMs: number;
}

export type OutboundFailureCode = 'upstream_timeout' | 'upstream_unreachable';

export type OutboundResult =
  | { ok: true; response: OutboundResponse; exchange: ExchangeDto }
  | { ok: false; failure: { code: OutboundFailureCode; message: string }; exchange: ExchangeDto };

export const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** How much of each body the timeline keeps. */
const RECORDED_BODY_BYTES = 16 * 1024;

export { OutboundPolicyError };

/**
 * The SSRF allowlist (SECURITY.md rule 9): the URL must be on the environment's origin (scheme, host and port, as
 * the WHATWG parser normalises them: `0x7f.1`, `2130706433` and `127.1` are all `127.0.0.1`), and carry no
 * user-info, which `URL.origin` ignores and would otherwise ride along to the allowed host.
 */
export function assertAllowedTarget(url: URL, allowedOrigin: string): void {
  if (url.origin !== allowedOrigin) {
    throw new OutboundPolicyError(`Refusing to call ${url.origin}: not this environment's origin.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new OutboundPolicyError(`Refusing to call ${url.origin}: credentials in a URL are not sent.`);
  }
}

/** Sends one request under the policy above and records it. Network failures are results, not throws. */
export async function sendOutbound(
  request: OutboundRequest,
  read: BodyReadMode,
  context: ExchangeContext,
): Promise<OutboundResult> {
  assertAllowedTarget(request.url, request.allowedOrigin);
  const started = performance.now();
  const exchangeBase = describeRequest(request, context);
  const signal = AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    // node:http(s), not fetch: a user-added server's addresses are checked as the socket connects (which fetch cannot
    // do), and a token exchange or FHIR call costs about 1.5 ms less CPU without fetch's web streams (issue #20).
    const res = await send(request, signal);
    try {
      return { ok: true, ...(await readNodeResponse(res, read, context, exchangeBase, started)) };
    } catch (error) {
      throw new BodyReadError(res.statusCode ?? 502, error);
    }
  } catch (error) {
    if (error instanceof OutboundPolicyError) throw error;
    const failure =
      error instanceof BodyReadError
        ? describeBrokenBody(error, request.url, signal.aborted)
        : describeNetworkFailure(error, request.url, signal.aborted);
    const exchange: ExchangeDto = {
      ...exchangeBase,
      status: null,
      durationMs: Math.round(performance.now() - started),
      response: null,
      error: failure.message,
    };
    return { ok: false, failure, exchange };
  }
}

/** Reads a node:http answer (decoded, capped as `read` says) and records it; see `recordResponse`. */
export async function readNodeResponse(
  res: IncomingMessage,
  read: BodyReadMode,
  context: ExchangeContext,
  exchangeBase: ReturnType<typeof describeRequest>,
  started: number,
): Promise<{ response: OutboundResponse; exchange: ExchangeDto }> {
  const raw = res.statusCode ?? 502;
  const status = raw < 200 || raw > 599 ? 502 : raw;
  let body: ReadBody;
  if (NULL_BODY_STATUSES.has(raw)) {
    res.resume();
    body = { text: '', bytesRead: 0, truncated: false };
  } else {
    body = await readNodeBody(res, read);
  }
  const head = { status, statusText: res.statusMessage ?? '', headers: headerPairs(res), contentType: res.headers['content-type'] ?? null };
  return recordResponse(head, body, context, exchangeBase, started);
}

/** The answer as the caller gets it, and the exchange as the timeline records it (redacted, its body cut short). */
function recordResponse(
  head: Pick<OutboundResponse, 'status' | 'statusText' | 'headers' | 'contentType'>,
  body: ReadBody,
  context: ExchangeContext,
  exchangeBase: ReturnType<typeof describeRequest>,
  started: number,
): { response: OutboundResponse; exchange: ExchangeDto } {
  const durationMs = Math.round(performance.now() - started);
  const { status, headers } = head;
  const response: OutboundResponse = { ...head, ...body, durationMs };
  const recorded = body.text.slice(0, RECORDED_BODY_BYTES);
  const exchange: ExchangeDto = {
    ...exchangeBase,
    status,
    durationMs,
    response: {
      headers: redactHeaders(headers, context.secrets),
      body: recorded.length === 0 ? null : redactText(recorded, context.secrets),
      bodyTruncated: body.truncated || body.text.length > RECORDED_BODY_BYTES,
      size: body.bytesRead,
    },
  };
  return { response, exchange };
}

export function describeRequest(request: OutboundRequest, context: ExchangeContext) {
  return {
    id: randomUUID(),
    startedAt: Date.now(),
    kind: context.kind,
    providerId: context.providerId,
    environmentId: context.environmentId,
    method: request.method,
    url: redactUrl(request.url.toString(), context.secrets),
    request: {
      headers: redactHeaders(request.headers, context.secrets),
      body: request.body === undefined ? null : redactText(request.body, context.secrets),
    },
  };
}

interface ReadBody {
  text: string;
  bytesRead: number;
  truncated: boolean;
}

/** `readBody` for a node:http answer: its decoded chunks, without a web stream in between. */
async function readNodeBody(res: IncomingMessage, mode: BodyReadMode): Promise<ReadBody> {
  const source = decode(res);
  const decoder = new TextDecoder();
  const maxBytes = mode.kind === 'text' ? (mode.maxBytes ?? DEFAULT_MAX_BYTES) : DEFAULT_MAX_BYTES;
  let text = '';
  let bytesRead = 0;
  let newlines = 0;
  const stop = () => {
    source.destroy();
    res.destroy();
  };
  for await (const value of source as AsyncIterable<Buffer>) {
    bytesRead += value.byteLength;
    const chunk = decoder.decode(value, { stream: true });
    text += chunk;
    if (mode.kind === 'ndjson-preview') {
      newlines += countNewlines(chunk);
      if (newlines >= mode.lines) {
        stop();
        return { text, bytesRead, truncated: true };
      }
    }
    if (bytesRead >= maxBytes) {
      stop();
      return { text, bytesRead, truncated: true };
    }
  }
  // A connection that closed before the body's end (no error from the parser on every Node version) is a broken body.
  if (!res.complete) throw new Error('connection closed before the body was complete');
  return { text: text + decoder.decode(), bytesRead, truncated: false };
}

export function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function countNewlines(chunk: string): number {
  let n = 0;
  for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) n++;
  return n;
}

/** The status line came, then reading the body failed. */
class BodyReadError extends Error {
  constructor(
    readonly status: number,
    cause: unknown,
  ) {
    super('body read failed', { cause });
  }
}

function describeBrokenBody(error: BodyReadError, url: URL, timedOut: boolean): { code: OutboundFailureCode; message: string } {
  if (timedOut) {
    return { code: 'upstream_timeout', message: `${url.host} answered ${error.status} but did not finish sending the body in time.` };
  }
  const cause = error.cause instanceof Error ? ((error.cause.cause as { code?: string } | undefined)?.code ?? error.cause.message) : String(error.cause);
  return {
    code: 'upstream_unreachable',
    message: `${url.host} answered ${error.status}, then the connection closed before the body was complete (${cause}).`,
  };
}

export function describeNetworkFailure(
  error: unknown,
  url: URL,
  timedOut: boolean,
): { code: OutboundFailureCode; message: string } {
  if (timedOut || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) {
    return { code: 'upstream_timeout', message: `${url.host} did not answer in time.` };
  }
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  const code = cause?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      code: 'upstream_unreachable',
      message: `Could not resolve ${url.hostname} (${code}). This machine may have no internet; the built-in sandbox works offline.`,
    };
  }
  if (code === 'ECONNREFUSED') {
    return { code: 'upstream_unreachable', message: `${url.host} refused the connection (ECONNREFUSED).` };
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return { code: 'upstream_unreachable', message: `${url.host} closed the connection before answering (${code}).` };
  }
  return {
    code: 'upstream_unreachable',
    message: `Could not reach ${url.host}${code ? ` (${code})` : ''}.`,
  };
}
