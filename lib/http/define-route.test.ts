import { encode } from 'next-auth/jwt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { SignedInUser } from '@/lib/auth/signed-in-user';
import { resolveSessionPasswords } from '@/lib/session/secret';
import { newSessionCookie, readSessionCookie, serializeSessionCookie, type SessionCookie } from '@/lib/session/cookie';
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

    const forged = (await serializeSessionCookie(newSessionCookie(), false, resolveSessionPasswords())).split(';')[0]!;
    await optional(new Request(`${origin}/api/x`, { headers: { cookie: forged } }), noParams);

    const create = defineRoute({ session: 'create' }, async ({ session: s }) => ({ sid: s.sid }));
    const created = await create(post('{}'), noParams);
    expect(created.headers.get('set-cookie')).toMatch(/^console_session=Fe26\.2\*.*HttpOnly; SameSite=Lax/);
    const { sid } = await created.json();
    await optional(new Request(`${origin}/api/x`, { headers: { cookie: created.headers.get('set-cookie')!.split(';')[0]! } }), noParams);
    // A well-sealed cookie whose handle the vault never issued opens nothing either.
    expect(seen).toEqual([null, null, sid]);
  });

  it('SECURITY 16: rotating a session keeps its data under a new handle; the old cookie opens nothing', async () => {
    const create = defineRoute({ session: 'create' }, async ({ session }) => ({ sid: session.sid }));
    const first = await create(post('{}'), noParams);
    const oldCookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const { sid } = await first.json();

    const rotate = defineRoute({ session: 'optional' }, async ({ session, rotateSession }) => {
      await rotateSession();
      return { sid: session?.sid };
    });
    const rotated = await rotate(new Request(`${origin}/api/x`, { headers: { cookie: oldCookie } }), noParams);
    expect((await rotated.json()).sid).toBe(sid);
    const newCookie = rotated.headers.get('set-cookie')!.split(';')[0]!;
    expect(newCookie).not.toBe(oldCookie);

    const seen: (string | null)[] = [];
    const optional = defineRoute({ session: 'optional' }, async ({ session }) => seen.push(session?.sid ?? null));
    await optional(new Request(`${origin}/api/x`, { headers: { cookie: newCookie } }), noParams);
    const stale = await optional(new Request(`${origin}/api/x`, { headers: { cookie: oldCookie } }), noParams);
    expect(seen).toEqual([sid, null]);
    expect(stale.headers.get('set-cookie')).toMatch(/^console_session=; .*Max-Age=0/);
  });

  it('SECURITY 11: refuses a body announced larger than the cap from Content-Length, before reading it', async () => {
    const handler = vi.fn(async () => ({}));
    const route = defineRoute({ session: 'none', body: z.object({}) }, handler);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const request = new Request(`${origin}/api/x`, { method: 'POST', headers: { ...sameOrigin, 'content-length': '500000000' }, body: endless, duplex: 'half' } as RequestInit);
    const response = await route(request, noParams);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('larger than') });
    expect(pulled).toBeLessThanOrEqual(1);
    expect(handler).not.toHaveBeenCalled();
  });

  it('SECURITY 11: stops reading a chunked body as soon as it passes the cap', async () => {
    const route = defineRoute({ session: 'none', body: z.object({}) }, async () => ({}));
    let pulled = 0;
    // 40 × 64 KB, with no Content-Length: well past the 1.1 MB cap, finite so a missing cap fails instead of hanging.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 40) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const request = new Request(`${origin}/api/x`, { method: 'POST', headers: sameOrigin, body: endless, duplex: 'half' } as RequestInit);
    const response = await route(request, noParams);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(25);
  });

  it('SECURITY 13: answers a Host the console was not configured for with 421, before CSRF, session or handler', async () => {
    const handler = vi.fn(async () => ({}));
    const route = defineRoute({ session: 'create' }, handler);
    const rebound = 'http://rebind.attacker.example:3000';
    for (const request of [
      new Request(`${rebound}/api/smart/keys`, { headers: { host: 'rebind.attacker.example:3000', origin: rebound, 'sec-fetch-site': 'same-origin' } }),
      post('{}', { ...sameOrigin, host: 'rebind.attacker.example:3000', origin: rebound, 'sec-fetch-site': 'same-origin' }),
      post('{}', { ...sameOrigin, host: 'localhost:3001', origin: 'http://localhost:3001' }),
    ]) {
      const response = await route(request, noParams);
      expect(response.status).toBe(421);
      expect((await response.json()).error.code).toBe('misdirected_request');
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('SECURITY 13: X-Forwarded-Proto changes nothing without TRUST_PROXY: no https origin, no __Host- cookie', async () => {
    const route = defineRoute({ session: 'create' }, async () => ({}));
    const forwarded = post('{}', { ...sameOrigin, 'x-forwarded-proto': 'https', origin: 'https://localhost:3000' });
    const refused = await route(forwarded, noParams);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('set-cookie')).toBeNull();

    vi.stubEnv('TRUST_PROXY', '1');
    try {
      const trusted = await route(post('{}', { ...sameOrigin, 'x-forwarded-proto': 'https', origin: 'https://localhost:3000' }), noParams);
      expect(trusted.status).toBe(200);
      expect(trusted.headers.get('set-cookie')).toMatch(/^__Host-console_session=.*; Secure$/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('defineRoute with console sign-in configured', () => {
  const nextAuthSecret = 'a-next-auth-secret-of-at-least-32-chars';
  const alice: SignedInUser = { issuer: 'http://127.0.0.1:4455', subject: 'alice', providerId: 'oidc', name: 'Alice', email: null, signedInAt: 1_000 };

  beforeEach(() => {
    vi.stubEnv('CONSOLE_AUTH_OIDC_ISSUER', alice.issuer);
    vi.stubEnv('CONSOLE_AUTH_OIDC_CLIENT_ID', 'console');
    vi.stubEnv('CONSOLE_AUTH_OIDC_CLIENT_SECRET', 'idp-secret');
    vi.stubEnv('NEXTAUTH_URL', origin);
    vi.stubEnv('NEXTAUTH_SECRET', nextAuthSecret);
  });
  afterEach(() => vi.unstubAllEnvs());

  async function signedIn(user: SignedInUser, secret = nextAuthSecret): Promise<string> {
    return `next-auth.session-token=${await encode({ token: { ...user }, secret })}`;
  }

  async function consoleCookie(session: SessionCookie): Promise<string> {
    return (await serializeSessionCookie(session, false, resolveSessionPasswords())).split(';')[0]!;
  }

  const sessionOf = async (response: Response) => readSessionCookie(response.headers.get('set-cookie'), false, resolveSessionPasswords());

  it('answers 401 sign_in_required to every route without a signed-in user, before CSRF or the handler', async () => {
    const handler = vi.fn(async () => ({}));
    for (const session of ['none', 'optional', 'create'] as const) {
      const route = defineRoute({ session }, handler);
      for (const request of [
        new Request(`${origin}/api/x`),
        post('{}'),
        post('{}', { ...sameOrigin, origin: 'https://evil.example' }),
        new Request(`${origin}/api/x`, { headers: { cookie: await signedIn(alice, 'another-secret-of-at-least-32-characters') } }),
        new Request(`${origin}/api/x`, { headers: { cookie: 'next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z' } }),
        new Request(`${origin}/api/x`, { headers: { authorization: `Bearer ${(await signedIn(alice)).split('=')[1]}` } }),
      ]) {
        const response = await route(request, noParams);
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ error: { code: 'sign_in_required', message: expect.any(String), hint: expect.any(String) } });
        expect(response.headers.get('set-cookie')).toBeNull();
      }
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('a signed-in user gets a session bound to their sign-in', async () => {
    const route = defineRoute({ session: 'create' }, async ({ session }) => ({ handle: session.cookie.handle }));
    const response = await route(post('{}', { ...sameOrigin, cookie: await signedIn(alice) }), noParams);
    expect(response.status).toBe(200);
    const session = await sessionOf(response);
    expect(session?.owner).toEqual({ user: expect.any(String), signedInAt: alice.signedInAt });
    expect((await response.json()).handle).toBe(session?.handle);
  });

  it("another user's cookie, or an earlier sign-in's, opens nothing: a fresh session, a new sid", async () => {
    const create = defineRoute({ session: 'create' }, async ({ session }) => ({ sid: session.sid }));
    const first = await create(post('{}', { ...sameOrigin, cookie: await signedIn(alice) }), noParams);
    const aliceCookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    const aliceSid = (await first.json()).sid;

    const same = await create(post('{}', { ...sameOrigin, cookie: `${await signedIn(alice)}; ${aliceCookie}` }), noParams);
    expect((await same.json()).sid).toBe(aliceSid);
    expect(same.headers.get('set-cookie')).toBeNull();

    for (const user of [{ ...alice, subject: 'bob' }, { ...alice, signedInAt: 2_000 }]) {
      const response = await create(post('{}', { ...sameOrigin, cookie: `${await signedIn(user)}; ${aliceCookie}` }), noParams);
      const { sid } = await response.json();
      expect(sid).not.toBe(aliceSid);
      expect(await sessionOf(response)).not.toBeNull();
    }

    const seen: (string | null)[] = [];
    const optional = defineRoute({ session: 'optional' }, async ({ session }) => seen.push(session?.sid ?? null));
    const read = await optional(new Request(`${origin}/api/x`, { headers: { cookie: `${await signedIn({ ...alice, subject: 'bob' })}; ${aliceCookie}` } }), noParams);
    expect(seen).toEqual([null]);
    expect(read.headers.get('set-cookie')).toMatch(/^console_session=; .*Max-Age=0/);
  });

  it('a session made while sign-in was off is nobody’s once it is on', async () => {
    const seen: (string | null)[] = [];
    const optional = defineRoute({ session: 'optional' }, async ({ session }) => seen.push(session?.sid ?? null));
    await optional(new Request(`${origin}/api/x`, { headers: { cookie: `${await signedIn(alice)}; ${await consoleCookie(newSessionCookie())}` } }), noParams);
    expect(seen).toEqual([null]);
  });
});
