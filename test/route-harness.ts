import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import * as sandboxRoute from '@/app/sandbox/[provider]/[...path]/route';

/**
 * Route handlers driven as Next drives them, with the built-in sandboxes as their upstream on a real loopback
 * port (CONSOLE_INTERNAL_ORIGIN), every upstream request counted, and a canary server that must never be called.
 * For security tests that need "no upstream call" proven, not assumed.
 */

export const ORIGIN = 'http://localhost:3000';

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface Listener {
  origin: string;
  port: number;
  /** Every request received, as `METHOD /path?query`. */
  hits: string[];
  close(): Promise<void>;
}

/** A loopback server that records each request and answers with `answer` (404 when it returns nothing). */
export async function listen(answer?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>): Promise<Listener> {
  const hits: string[] = [];
  const server: Server = createServer(async (req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (answer && (await answer(req, res))) return;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The built-in sandboxes behind a counting loopback server, as the console reaches them. `extra` may answer a
 * request first (a hostile upstream's redirect or Bundle); everything else goes to the sandbox route.
 */
export async function startUpstream(extra?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<Listener> {
  const upstream = await listen(async (req, res) => {
    if (extra?.(req, res)) return true;
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const [, , provider = '', ...path] = url.pathname.split('/');
    const method = req.method ?? 'GET';
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const body = method === 'GET' || method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
    const request = new Request(url, { method, headers, body, duplex: 'half' } as RequestInit);
    const handler = (sandboxRoute as unknown as Record<string, Handler>)[method];
    const response = handler ? await handler(request, { params: Promise.resolve({ provider, path }) }) : new Response(null, { status: 405 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
    else res.end();
    return true;
  });
  process.env.CONSOLE_INTERNAL_ORIGIN = upstream.origin;
  return upstream;
}

/**
 * A request the browser sends to a built-in sandbox on the console's public origin (an authorize page, a sign-in
 * form), handled by the sandbox route as Next would, with the Host the browser uses.
 */
export async function browserFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const target = new URL(url, ORIGIN);
  if (target.origin !== ORIGIN) throw new Error(`the browser would leave the console for ${target.origin}`);
  const [, mount = '', provider = '', ...path] = target.pathname.split('/');
  if (mount !== 'sandbox') throw new Error(`not a sandbox page: ${target.pathname}`);
  const method = init.method ?? 'GET';
  const handler = (sandboxRoute as unknown as Record<string, Handler>)[method];
  if (!handler) return new Response(null, { status: 405 });
  return handler(new Request(target, init), { params: Promise.resolve({ provider, path }) });
}

/** The headers of a same-origin request from the console page. */
export const pageHeaders = { 'x-console-request': '1', origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' };

/** Calls a route handler; `cookie` is sent as is and the session cookie it sets (if any) is returned. */
export async function callRoute(
  handler: Handler,
  options: { method?: string; path: string; params?: Record<string, string>; body?: unknown; headers?: Record<string, string>; cookie?: string },
): Promise<{ response: Response; json: unknown; cookie: string | undefined }> {
  const method = options.method ?? 'POST';
  const headers = new Headers(options.headers ?? pageHeaders);
  if (options.cookie) headers.set('cookie', options.cookie);
  const request = new Request(`${ORIGIN}${options.path}`, {
    method,
    headers,
    body: options.body === undefined || method === 'GET' ? undefined : JSON.stringify(options.body),
  });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.clone().text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('console_session='));
  return { response, json, cookie: setCookie?.split(';')[0] };
}
