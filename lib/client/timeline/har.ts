import { z } from 'zod';
import { epochToMs } from '@/lib/client/relative-time';
import { isBrowserLeg, type ExchangeDto, type SessionDto } from '@/lib/contract/schemas';
import { getHeader } from '@/lib/contract/headers';

/**
 * HAR 1.2, the subset the console writes. Underscore fields are HAR's custom-field convention.
 * @see http://www.softwareishard.com/blog/har-12-spec/
 */
const harNameValueSchema = z.object({ name: z.string(), value: z.string() });

export const harEntrySchema = z.object({
  pageref: z.string(),
  startedDateTime: z.string(),
  time: z.number(),
  request: z.object({
    method: z.string(),
    url: z.string(),
    httpVersion: z.string(),
    cookies: z.array(harNameValueSchema),
    headers: z.array(harNameValueSchema),
    queryString: z.array(harNameValueSchema),
    postData: z.object({ mimeType: z.string(), text: z.string() }).optional(),
    headersSize: z.literal(-1),
    bodySize: z.number(),
  }),
  response: z.object({
    status: z.number(),
    statusText: z.string(),
    httpVersion: z.string(),
    cookies: z.array(harNameValueSchema),
    headers: z.array(harNameValueSchema),
    content: z.object({
      size: z.number(),
      mimeType: z.string(),
      text: z.string().optional(),
      comment: z.string().optional(),
    }),
    redirectURL: z.string(),
    headersSize: z.literal(-1),
    bodySize: z.number(),
  }),
  cache: z.object({}),
  timings: z.object({ send: z.number(), wait: z.number(), receive: z.number() }),
  _error: z.string().optional(),
  _exchangeId: z.string(),
  _kind: z.string(),
  _providerId: z.string(),
  _environmentId: z.string(),
});
export type HarEntry = z.infer<typeof harEntrySchema>;

export const harLogSchema = z.object({
  log: z.object({
    version: z.literal('1.2'),
    creator: z.object({ name: z.string(), version: z.string() }),
    pages: z.array(
      z.object({
        startedDateTime: z.string(),
        id: z.string(),
        title: z.string(),
        pageTimings: z.object({}),
      }),
    ),
    entries: z.array(harEntrySchema),
    comment: z.string().optional(),
    /** The flow per provider as Mermaid sequence-diagram text, the browser's login legs included (issue #17). */
    _sequenceDiagrams: z.array(z.object({ providerId: z.string(), mermaid: z.string() })).optional(),
  }),
});
export type HarLog = z.infer<typeof harLogSchema>;

export interface HarMeta {
  creator: string;
  pageTitle: string;
  /** HAR requires a creator version; empty when the caller has none. */
  creatorVersion?: string;
  sequenceDiagrams?: { providerId: string; mermaid: string }[];
}

const PAGE_ID = 'page_1';

/** Reason phrases for the statuses health APIs answer with; HAR wants one, HTTP/2 sends none. */
const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The session's exchanges as a HAR file for a support ticket. The exchanges are already redacted by the server and
 * their redaction marks are kept as they are: the recipient sees where a secret was and its fingerprint, not the
 * secret.
 */
export function toHar(session: SessionDto, meta: HarMeta): HarLog {
  const first = session.exchanges[0];
  const pageStart = first ? epochToMs(first.startedAt) : epochToMs(session.serverNow);
  return {
    log: {
      version: '1.2',
      creator: { name: meta.creator, version: meta.creatorVersion ?? '' },
      pages: [{ startedDateTime: new Date(pageStart).toISOString(), id: PAGE_ID, title: meta.pageTitle, pageTimings: {} }],
      // The browser's legs of a login were not sent by the server; the sequence diagram in the comment shows them.
      entries: session.exchanges.filter((exchange) => !isBrowserLeg(exchange)).map(toHarEntry),
      comment: 'Recorded server-side by the console; secrets are replaced by [redacted hmac:… N chars] marks.',
      ...(meta.sequenceDiagrams && meta.sequenceDiagrams.length > 0 ? { _sequenceDiagrams: meta.sequenceDiagrams } : {}),
    },
  };
}

/** One exchange as a HAR entry; a network failure is `status: 0` with the reason in `_error`. */
export function toHarEntry(exchange: ExchangeDto): HarEntry {
  const requestType = getHeader(exchange.request.headers, 'content-type');
  const body = exchange.request.body;
  const response = exchange.response;
  const responseType = response ? getHeader(response.headers, 'content-type') : undefined;
  const content: HarEntry['response']['content'] = {
    size: response?.size ?? 0,
    mimeType: responseType ?? 'x-unknown',
  };
  if (response?.body != null) content.text = response.body;
  if (response?.bodyTruncated) content.comment = 'Body truncated by the console; size is the full length.';

  const entry: HarEntry = {
    pageref: PAGE_ID,
    startedDateTime: new Date(epochToMs(exchange.startedAt)).toISOString(),
    time: exchange.durationMs,
    request: {
      method: exchange.method.toUpperCase(),
      url: exchange.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: toNameValues(exchange.request.headers),
      queryString: queryStringOf(exchange.url),
      headersSize: -1,
      bodySize: body === null ? 0 : utf8Length(body),
    },
    response: {
      status: exchange.status ?? 0,
      statusText: exchange.status === null ? '' : (STATUS_TEXT[exchange.status] ?? ''),
      httpVersion: response ? 'HTTP/1.1' : '',
      cookies: [],
      headers: response ? toNameValues(response.headers) : [],
      content,
      redirectURL: (response && getHeader(response.headers, 'location')) ?? '',
      headersSize: -1,
      bodySize: response ? response.size : -1,
    },
    cache: {},
    timings: { send: 0, wait: exchange.durationMs, receive: 0 },
    _exchangeId: exchange.id,
    _kind: exchange.kind,
    _providerId: exchange.providerId,
    _environmentId: exchange.environmentId,
  };
  if (body !== null) entry.request.postData = { mimeType: requestType ?? '', text: body };
  if (exchange.error !== undefined || exchange.status === null) entry._error = exchange.error ?? 'No response';
  return entry;
}

function toNameValues(headers: readonly [string, string][]): { name: string; value: string }[] {
  return headers.map(([name, value]) => ({ name, value }));
}

/** Query parameters as sent (percent-decoded, as browsers' HAR exports show them). */
function queryStringOf(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
