import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ApiError } from '@/lib/contract/schemas';
import { sessionBelongsTo } from '@/lib/auth/session-binding';
import { readRequestOwner } from '@/lib/auth/request-owner';
import { log } from '@/lib/log';
import { getVault } from '@/lib/session';
import { clearSessionCookie, newRandomId, newSessionCookie, readSessionCookie, serializeSessionCookie, type SessionCookie, type SessionOwner } from '@/lib/session/cookie';
import { resolveSessionPasswords } from '@/lib/session/secret';
import { VaultUnavailableError } from '@/lib/session/store';
import { workspaceOwner } from '@/lib/smart/workspace';
import { checkCsrf } from './csrf';
import { HttpError } from './errors';
import { consoleOrigin, isSecureRequest, MisdirectedRequestError } from './origin';
import { OutboundPolicyError } from './outbound';
import { readCappedText } from '@/lib/contract/capped-body';
import { redactStrings } from './redact';

/**
 * The one wrapper every route handler goes through: console sign-in (when configured), CSRF, session, zod parsing
 * of params and body, one error shape, `Cache-Control: no-store`. Handlers receive parsed input and return a DTO
 * (or a Response).
 */

export type SessionMode = 'none' | 'optional' | 'create';

interface RouteSpec<P extends z.ZodType, B extends z.ZodType> {
  params?: P;
  body?: B;
  /** State-changing routes: on by default for every method but GET and HEAD. */
  csrf?: boolean;
  session: SessionMode;
}

/** The console session a request belongs to. */
export interface OpenSession {
  /** The session's id in the vault: its tokens, timeline and pending flows are kept under it. Never sent out. */
  sid: string;
  cookie: SessionCookie;
}

export interface HandlerContext<P extends z.ZodType, B extends z.ZodType, S extends SessionMode> {
  request: Request;
  params: z.infer<P>;
  body: z.infer<B>;
  session: S extends 'create' ? OpenSession : OpenSession | null;
  /**
   * Gives the session a new cookie handle and ends the old one (the session's data stays): an old copy of the
   * cookie, or one planted before a login, opens nothing afterwards (ASVS 7.2.4, session fixation).
   */
  rotateSession: () => Promise<void>;
  /** The signed-in user the request is for; null when console sign-in is off. */
  owner: SessionOwner | null;
  /** Whose saved providers and keys the request sees: the signed-in user's, or the shared `local` workspace. */
  workspaceId: string;
  requestId: string;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

const MAX_BODY_BYTES = 1_100_000;

export function defineRoute<P extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, S extends SessionMode = SessionMode>(
  spec: RouteSpec<P, B> & { session: S },
  handler: (ctx: HandlerContext<P, B, S>) => Promise<unknown>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    const requestId = randomUUID();
    /** The session cookie this answer sets: a new or rotated handle, or a clearing one. */
    let sessionCookieHeader: string | null = null;
    try {
      const origin = consoleOrigin(request);
      const secure = isSecureRequest(request);
      const owner = await requireSignIn(request);
      const stateChanging = request.method !== 'GET' && request.method !== 'HEAD';
      if (spec.csrf ?? stateChanging) {
        const csrf = checkCsrf(request, origin);
        if (!csrf.ok) throw new HttpError(403, 'csrf_rejected', `Request refused: ${csrf.reason}.`, { hint: 'Use the console page; cross-site requests are refused.' });
      }
      const params = spec.params ? parseOrThrow(spec.params, await context.params, 'not_found', 404) : undefined;
      const body = spec.body ? parseOrThrow(spec.body, await readJson(request), 'validation_failed', 400) : undefined;

      /** A new cookie handle for session `sid`, in the vault before the cookie goes out so any instance finds it. */
      const issueHandle = async (sid: string): Promise<OpenSession> => {
        const cookie = newSessionCookie(Date.now(), owner ?? undefined);
        await getVault().putSessionHandle(cookie.handle, sid);
        sessionCookieHeader = await serializeSessionCookie(cookie, secure, resolveSessionPasswords());
        return { sid, cookie };
      };
      let session: OpenSession | null = null;
      if (spec.session !== 'none') {
        const found = await readSessionCookie(request.headers.get('cookie'), secure, resolveSessionPasswords());
        const sid = found && sessionBelongsTo(found, owner) ? await getVault().openSessionHandle(found.handle) : null;
        session = found && sid ? { sid, cookie: found } : null;
        if (!session && spec.session === 'create') session = await issueHandle(newRandomId());
        else if (found && !session) sessionCookieHeader = clearSessionCookie(secure);
      }
      const rotateSession = async () => {
        if (!session) return;
        const ended = session.cookie.handle;
        session = await issueHandle(session.sid);
        await getVault().endSessionHandle(ended);
      };

      const result = await handler({ request, params, body, session, rotateSession, owner, workspaceId: workspaceOwner(owner), requestId } as HandlerContext<P, B, S>);
      const response = result instanceof Response ? result : Response.json(result ?? { ok: true });
      return finish(response, sessionCookieHeader);
    } catch (error) {
      return finish(errorResponse(error, requestId, request), sessionCookieHeader);
    }
  };
}

/**
 * With console sign-in configured, every BFF route needs a signed-in user; the answer is who owns the sessions
 * of this request. Null when sign-in is off.
 */
async function requireSignIn(request: Request): Promise<SessionOwner | null> {
  const owner = await readRequestOwner(request.headers.get('cookie'));
  if (owner === undefined) {
    throw new HttpError(401, 'sign_in_required', 'Sign in to use this console.', { hint: 'Open the console page to sign in, then try again.' });
  }
  return owner;
}

function finish(response: Response, sessionCookieHeader: string | null): Response {
  // no-transform: the JSON goes to a page on the same host; gzipping it cost more CPU than it saves on the wire.
  response.headers.set('Cache-Control', 'no-store, no-transform');
  if (sessionCookieHeader) response.headers.append('Set-Cookie', sessionCookieHeader);
  return response;
}

async function readJson(request: Request): Promise<unknown> {
  const text = await readBodyText(request, MAX_BODY_BYTES);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'bad_request', 'The request body is not valid JSON.');
  }
}

function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, code: 'not_found' | 'validation_failed', status: number): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
  const first = issues[0];
  throw new HttpError(status, code, code === 'not_found' ? 'Not found.' : `Invalid request: ${first ? `${first.path}: ${first.message}` : 'see issues'}.`, { issues });
}

/**
 * The body as text, refused with 413 before a byte is read when Content-Length announces more than `maxBytes`, and
 * as soon as a chunked body passes it: a client announcing 500 MB gets its answer at once.
 */
async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'payload_too_large', `The request body is larger than ${Math.round(maxBytes / 1000)} kB, the most this route takes.`);
  const announced = request.headers.get('content-length')?.trim();
  if (announced !== undefined && !/^\d+$/.test(announced)) throw new HttpError(400, 'bad_request', 'The Content-Length header is not a number.');
  if (announced !== undefined && Number(announced) > maxBytes) throw tooLarge();
  if (!request.body) return '';
  const text = await readCappedText(request.body, maxBytes);
  if (text === null) throw tooLarge();
  return text;
}

function errorResponse(error: unknown, requestId: string, request: Request): Response {
  if (error instanceof MisdirectedRequestError) {
    return Response.json({ error: { code: 'misdirected_request', message: error.message } } satisfies ApiError, { status: 421 });
  }
  if (error instanceof HttpError) {
    // SECURITY.md rule 15, the last line for every error body below: what a message quotes goes out redacted.
    return Response.json(redactStrings(error.toBody()), { status: error.status, headers: error.headers });
  }
  if (error instanceof VaultUnavailableError) {
    log.warn({ requestId, path: new URL(request.url).pathname, err: describe(error) }, 'session store unavailable');
    return Response.json(
      redactStrings({
        error: {
          code: 'vault_unavailable',
          message: error.message,
          hint: 'Nothing was lost: the console reconnects by itself. Try again in a few seconds.',
          requestId,
        },
      } satisfies ApiError),
      { status: 503, headers: { 'Retry-After': '2' } },
    );
  }
  if (error instanceof OutboundPolicyError) {
    return Response.json(redactStrings({ error: { code: 'path_not_allowed', message: error.message } } satisfies ApiError), { status: 400 });
  }
  log.error({ requestId, method: request.method, path: new URL(request.url).pathname, err: describe(error) }, 'unhandled error in route');
  return Response.json(
    { error: { code: 'internal_error', message: 'Something went wrong in the console. The log has the details.', requestId } } satisfies ApiError,
    { status: 500 },
  );
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'unknown', message: String(error) };
}
