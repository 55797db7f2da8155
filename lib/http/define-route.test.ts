import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { resolveSessionPasswords } from '@/lib/session/secret';
import { newSessionCookie, serializeSessionCookie } from '@/lib/session/cookie';
import { defineRoute } from './define-route';
import { HttpError } from './errors';

const origin = 'http://localhost:3000';
const noParams = { params: Promise.resolve({}) };
const sameOrigin = { 'x-console-request': '1', origin, host: 'localhost:3000', 'content-type': 'application/json' };

function post(body: string, headers: Record<string, string> = sameOrigin) {
  return new Request(`${origin}/api/test`, { method: 'POST', headers, body });
}

describe('defineRoute', () => {
  it('refuses a cross-site POST with 403 before the handler runs', async () => {
    const handler = vi.fn(async () => ({ ok: true }));
    const route = defineRoute({ session: 'create' }, handler);
    const response = await route(post('{}', { ...sameOrigin, origin: 'https://evil.example' }), noParams);
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('csrf_rejected');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers zod issues as a 400 with every field named', async () => {
    const route = defineRoute({ session: 'none', body: z.object({ a: z.string(), b: z.number() }) }, async () => ({}));
    const response = await route(post('{"a":1}'), noParams);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues.map((i: { path: string }) => i.path)).toEqual(['a', 'b']);
  });

  it('answers bad params as 404', async () => {
    const route = defineRoute({ session: 'none', params: z.object({ id: z.string().regex(/^[a-z]+$/) }) }, async () => ({}));
    const response = await route(new Request(`${origin}/api/x`), { params: Promise.resolve({ id: '../etc' }) });
    expect(response.status).toBe(404);
  });

  it('maps HttpError to its status and code, with its headers', async () => {
    const route = defineRoute({ session: 'none' }, async () => {
      throw new HttpError(429, 'upstream_rate_limited', 'slow down', { hint: 'wait' }, { 'Retry-After': '300' });
    });
    const response = await route(new Request(`${origin}/api/x`), noParams);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('300');
    expect(await response.json()).toEqual({ error: { code: 'upstream_rate_limited', message: 'slow down', hint: 'wait' } });
  });

  it('SECURITY 11: turns an unexpected error into a generic 500 with a request id and no details', async () => {
    const route = defineRoute({ session: 'none' }, async () => {
      throw new Error('database password is hunter2');
    });
    const response = await route(new Request(`${origin}/api/x`), noParams);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text).error).toMatchObject({ code: 'internal_error', requestId: expect.any(String) });
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
  });

  it('creates a session only where asked, and reads a tampered cookie as none', async () => {
    const seen: (string | null)[] = [];
    const optional = defineRoute({ session: 'optional' }, async ({ session }) => {
      seen.push(session?.sid ?? null);
      return {};
    });
    const tampered = await optional(new Request(`${origin}/api/x`, { headers: { cookie: 'console_session=Fe26.2**tampered' } }), noParams);
    expect(tampered.status).toBe(200);
    expect(tampered.headers.get('set-cookie')).toBeNull();

    const session = newSessionCookie();
    const cookie = (await serializeSessionCookie(session, false, resolveSessionPasswords())).split(';')[0]!;
    await optional(new Request(`${origin}/api/x`, { headers: { cookie } }), noParams);
    expect(seen).toEqual([null, session.sid]);

    const create = defineRoute({ session: 'create' }, async ({ session: s }) => ({ sid: s.sid.length }));
    const created = await create(post('{}'), noParams);
    expect(created.headers.get('set-cookie')).toMatch(/^console_session=Fe26\.2\*.*HttpOnly; SameSite=Lax/);
  });
});
