import 'server-only';
import { getHeader } from '@/lib/contract/headers';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { requestParams, safeUrl, type ExchangeStep } from '@/lib/contract/exchange-steps';

/** Readers over a recorded (redacted) exchange, for the checks. */

export type JsonObject = Record<string, unknown>;

export function responseHeader(exchange: ExchangeDto, name: string): string | undefined {
  return exchange.response ? getHeader(exchange.response.headers, name) : undefined;
}

export function requestHeader(exchange: ExchangeDto, name: string): string | undefined {
  return getHeader(exchange.request.headers, name);
}

/** The media type of the response, lower-case, without parameters. */
export function responseMediaType(exchange: ExchangeDto): string | undefined {
  return responseHeader(exchange, 'content-type')?.split(';')[0]?.trim().toLowerCase();
}

/** The response body as a JSON object; undefined when there is none or it is not one. */
export function responseObject(exchange: ExchangeDto): JsonObject | undefined {
  const body = exchange.response?.body;
  if (!body || exchange.response?.bodyTruncated) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

export function urlPath(exchange: Pick<ExchangeDto, 'url'>): string {
  try {
    return new URL(exchange.url).pathname;
  } catch {
    return '';
  }
}

export function urlParam(url: string, name: string): string | null {
  try {
    return new URL(url).searchParams.get(name);
  } catch {
    return null;
  }
}

export const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A JSON type name for a message: `a string ("1200")`, `a number`, `missing`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}${typeof v === 'number' ? ` (${v})` : ''}`;
}

export function isAbsoluteUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    const url = new URL(v);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export const scopeList = (scope: string | null | undefined): string[] => (scope ?? '').split(/\s+/).filter(Boolean);

/** The `rest` entries of a CapabilityStatement a `GET …/metadata` answered with 200; undefined for any other exchange. */
export function capabilityStatementRest(exchange: ExchangeDto): JsonObject[] | undefined {
  if (exchange.method !== 'GET' || exchange.status !== 200 || !urlPath(exchange).endsWith('/metadata')) return undefined;
  const statement = responseObject(exchange);
  if (statement?.resourceType !== 'CapabilityStatement') return undefined;
  return Array.isArray(statement.rest) ? (statement.rest as JsonObject[]) : [];
}

/**
 * The parameters of an authorization request: its URL's, or for a request sent by reference (RFC 9126 §4: the URL
 * carries `request_uri`) those of the pushed request recorded before it.
 */
export function authorizationParams(authorize: ExchangeDto, earlier: readonly { exchange: ExchangeDto; step: ExchangeStep }[]): URLSearchParams {
  const inUrl = safeUrl(authorize.url)?.searchParams ?? new URLSearchParams();
  if (!inUrl.has('request_uri')) return inUrl;
  const pushed = [...earlier]
    .reverse()
    .find((e) => e.step === 'par' && e.exchange.startedAt <= authorize.startedAt && e.exchange.status !== null && e.exchange.status < 300);
  return pushed ? new URLSearchParams([...requestParams(pushed.exchange)]) : inUrl;
}
