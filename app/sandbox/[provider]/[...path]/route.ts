import { getConsoleAuth } from '@/lib/auth';
import { readSignedInUser } from '@/lib/auth/signed-in-user';
import { CONTENT_ENCODING_RESTORED_ENV, SANDBOX_CONTENT_ENCODING_HEADER } from '@/lib/http/content-encoding.mjs';
import { isInternalCaller } from '@/lib/http/internal-caller';
import { builtinSandboxesEnabled } from '@/lib/providers/builtin-sandboxes';
import { consoleHost } from '@/lib/http/console-host';
import { addressedOrigin } from '@/lib/http/origin';
import { getSandboxHandler, type SandboxHandler } from '@/lib/sandbox';
import { recordIssuedSecrets } from '@/lib/sandbox/shared/issued-secrets';
import { SandboxStateUnavailableError } from '@/lib/sandbox/shared/state';
import { withTransportFaults } from '@/lib/sandbox/shared/transport-faults';

/** Mounts the built-in provider sandboxes at `/sandbox/{provider}/…`; the emulators live in `lib/sandbox`. */

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

interface RouteContext {
  params: Promise<{ provider: string; path: string[] }>;
}

function notFound(message: string): Response {
  return Response.json({ error: { code: 'not_found', message } }, { status: 404, headers: { 'Cache-Control': 'no-store' } });
}

/**
 * The path after `/sandbox/{provider}`, still percent-encoded. Next hands us decoded params; taking the raw
 * pathname means the sandbox decodes each segment exactly once, so `$export` and `%24export` both work.
 */
function getSandboxPath(request: Request, provider: string, segments: string[]): string {
  const pathname = new URL(request.url).pathname;
  const mount = `/sandbox/${provider}/`;
  const at = pathname.indexOf(mount);
  if (at >= 0) return pathname.slice(at + mount.length - 1);
  return `/${segments.map(encodeURIComponent).join('/')}`;
}

/**
 * With console sign-in on, a built-in sandbox answers only a signed-in user's browser (its login and consent pages)
 * and the console server itself (SECURITY.md rule 16): it mints tokens, so it is as private as the console.
 */
async function refusedCaller(request: Request): Promise<Response | null> {
  const auth = getConsoleAuth();
  if (!auth.enabled || isInternalCaller(request) || (await readSignedInUser(request.headers.get('cookie'), auth))) return null;
  return Response.json(
    { error: { code: 'sign_in_required', message: 'The built-in sandboxes of this console answer its signed-in users and the console itself.', hint: 'Sign in to the console, or call the real provider.' } },
    { status: 401, headers: { 'Cache-Control': 'no-store' } },
  );
}

/**
 * Next drops `Content-Encoding` (and `Content-Length`) from a route handler's answer. Under `scripts/server.mjs`,
 * which puts it back, a sandbox's encoding travels in {@link SANDBOX_CONTENT_ENCODING_HEADER}; without it (`next dev`)
 * the sandbox is asked for an unencoded body instead, so a compressed body never goes out unlabelled.
 */
async function carryContentEncoding(request: Request, answer: (request: Request) => Promise<Response>): Promise<Response> {
  if (process.env[CONTENT_ENCODING_RESTORED_ENV] !== '1') {
    if (!request.headers.has('accept-encoding')) return answer(request);
    const headers = new Headers(request.headers);
    headers.delete('accept-encoding');
    return answer(new Request(request, { headers }));
  }
  const response = await answer(request);
  const encoding = response.headers.get('content-encoding');
  if (encoding) response.headers.set(SANDBOX_CONTENT_ENCODING_HEADER, encoding);
  return response;
}

/**
 * `scripts/server.mjs` passes a GET with a body on as a POST marked `X-Original-Method: GET` (Next would drop the
 * body). The sandbox gets it back as the GET it was: as that POST, body kept, where the emulated server reads a GET's
 * body, and as a plain GET elsewhere, the body dropped as most servers ignore it.
 */
function asSent(request: Request, sandbox: SandboxHandler, path: string): Request {
  if (request.method !== 'POST' || request.headers.get('x-original-method')?.toUpperCase() !== 'GET') return request;
  if (sandbox.readsGetBody?.(path)) return request;
  const headers = new Headers(request.headers);
  for (const name of ['x-original-method', 'content-length', 'content-type', 'transfer-encoding']) headers.delete(name);
  return new Request(request.url, { method: 'GET', headers });
}

/**
 * A sandbox reads the address it was called at from its request's URL, as the providers it emulates echo theirs in
 * the URLs they answer with: the browser on localhost and the console's server on 127.0.0.1 each see their own.
 */
function atAddressedOrigin(request: Request): Request {
  const url = new URL(request.url);
  const origin = addressedOrigin(request);
  if (url.origin === origin) return request;
  const init = { method: request.method, headers: request.headers, body: request.body, signal: request.signal, duplex: 'half' };
  return new Request(`${origin}${url.pathname}${url.search}`, init as RequestInit);
}

async function dispatch(request: Request, context: RouteContext): Promise<Response> {
  const { provider, path } = await context.params;
  if (!builtinSandboxesEnabled()) return notFound('Built-in sandboxes are turned off (BUILTIN_SANDBOXES).');
  const refused = await refusedCaller(request);
  if (refused) return refused;
  const sandbox = getSandboxHandler(provider, consoleHost);
  if (!sandbox) return notFound(`No built-in sandbox for provider "${provider}".`);
  const sandboxPath = getSandboxPath(request, provider, path);
  const sent = asSent(atAddressedOrigin(request), sandbox, sandboxPath);
  try {
    return await withTransportFaults(sent, () => carryContentEncoding(sent, async (asked) => recordIssuedSecrets(await sandbox.handle(asked, sandboxPath))));
  } catch (error) {
    if (!(error instanceof SandboxStateUnavailableError)) throw error;
    // What the sandbox knows is safe in Redis; this one request could not reach it, and a retry can.
    return Response.json(
      { error: { code: 'sandbox_state_unavailable', message: error.message, hint: 'Nothing was lost: retry once Redis answers again.' } },
      { status: 503, headers: { 'Cache-Control': 'no-store', 'Retry-After': '2' } },
    );
  }
}

// Every method reaches the sandbox, which answers 405 where the emulated API would.
export const GET = dispatch;
export const POST = dispatch;
export const DELETE = dispatch;
export const PUT = dispatch;
export const PATCH = dispatch;
export const HEAD = dispatch;
export const OPTIONS = dispatch;
