import 'server-only';
import type { RequestValidationError } from './responses';

/** Candid's list endpoints: "Maximum number of entities per page, defaults to 100." */
export const defaultPageLimit = 100;
/** The sandbox's ceiling for `limit`; Candid's own is unpublished. */
export const maxPageLimit = 1000;

/** Candid's `ResourcePage`: the items and opaque tokens for the neighbouring pages. */
export interface ResourcePage<T> {
  items: T[];
  prev_page_token: string | null;
  next_page_token: string | null;
}

/** An opaque page token: base64url of `{"offset": n}`. Clients must treat it as opaque, as Candid's. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodePageToken(token: string): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    const offset = (value as { offset?: unknown } | null)?.offset;
    return typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

/** Reads `limit` and `page_token` from the query; the errors are for a 422 `HttpRequestValidationsError`. */
export function readPageQuery(query: URLSearchParams): { limit: number; offset: number } | { errors: RequestValidationError[] } {
  const errors: RequestValidationError[] = [];
  let limit = defaultPageLimit;
  const rawLimit = query.get('limit');
  if (rawLimit !== null) {
    limit = /^\d+$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > maxPageLimit) {
      errors.push({ fieldName: 'limit', humanReadableMessage: `limit must be an integer from 1 to ${maxPageLimit}.` });
    }
  }
  let offset = 0;
  const rawToken = query.get('page_token');
  if (rawToken !== null && rawToken !== '') {
    const decoded = decodePageToken(rawToken);
    if (decoded === undefined) errors.push({ fieldName: 'page_token', humanReadableMessage: 'page_token is not a page token from this API.' });
    else offset = decoded;
  }
  return errors.length > 0 ? { errors } : { limit, offset };
}

/** One page of `all` with tokens for the previous and next pages (null at either end). */
export function paginate<T>(all: readonly T[], limit: number, offset: number): ResourcePage<T> {
  const items = all.slice(offset, offset + limit);
  return {
    items,
    prev_page_token: offset > 0 ? encodePageToken(Math.max(0, offset - limit)) : null,
    next_page_token: offset + limit < all.length ? encodePageToken(offset + limit) : null,
  };
}
