import 'server-only';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { assertPublicLiteral, publicOnlyLookup } from './address-policy';
import { internalCallerHeaders } from './internal-caller';
import type { OutboundRequest } from './outbound';
import { OutboundPolicyError } from './outbound-policy-error';

/**
 * One request over node:http(s), for the streamed downloads and for servers a user added: there the address the
 * host name resolves to is checked as the socket connects (`publicOnlyLookup`), which fetch cannot do.
 */
export function send(request: OutboundRequest, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const call = request.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = {};
    for (const [name, value] of [...request.headers, ...internalCallerHeaders(request.url)]) headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    if (request.publicAddressesOnly) {
      try {
        assertPublicLiteral(request.url.hostname);
      } catch (error) {
        reject(error as Error);
        return;
      }
    }
    const lookup = request.publicAddressesOnly ? publicOnlyLookup() : undefined;
    const req = call(request.url, { method: request.method, headers, signal, ...(lookup ? { lookup } : {}) }, resolve);
    // Node puts the socket error's code on the error itself; the failure words look for it on `cause`, as fetch has it.
    req.once('error', (error: Error & { code?: string }) => {
      if (error instanceof OutboundPolicyError) reject(error);
      else reject(signal.aborted ? error : new Error(error.message, { cause: error }));
    });
    req.end(request.body);
  });
}

/** The body as the page should get it: decompressed when the server compressed it anyway. */
export function decode(res: IncomingMessage): Readable {
  const encoding = res.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : null;
  if (!decoder) return res;
  res.once('error', (error) => decoder.destroy(error));
  return res.pipe(decoder);
}

export function headerPairs(res: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
  return pairs;
}

/** Statuses whose answer has no body (RFC 9110 §6.4.1). */
export const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
