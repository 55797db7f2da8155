import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, SessionDto } from '@/lib/contract/schemas';
import { getVault } from '@/lib/session';
import { readSessionCookie } from '@/lib/session/cookie';
import { resolveSessionPasswords } from '@/lib/session/secret';
import { callRoute, startUpstream, type Listener } from '@/test/route-harness';
import * as authorize from '../oauth/[providerId]/authorize/route';
import * as token from '../oauth/[providerId]/token/route';
import * as dismiss from './flow-errors/[providerId]/route';
import * as session from './route';

/**
 * Issue #15: reading the session never deletes. A failed callback's explanation stays in the session until the user
 * dismisses it or starts a new run, so a second tab or a background refetch does not swallow it.
 */

let upstream: Listener;
beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'f'.repeat(64);
  upstream = await startUpstream();
});
afterAll(() => upstream.close());

const failure: ApiError = { error: { code: 'authorization_denied', message: 'The user denied the consent at Blue Button.' } };

async function newSession(): Promise<{ cookie: string; sid: string }> {
  const minted = await callRoute(token.POST as never, {
    path: '/api/oauth/bcda/token',
    params: { providerId: 'bcda' },
    body: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'extra-small' } },
  });
  expect(minted.response.status).toBe(200);
  const cookie = minted.cookie!;
  const sid = (await getVault().openSessionHandle((await readSessionCookie(cookie, false, resolveSessionPasswords()))!.handle))!;
  return { cookie, sid };
}

async function flowErrorsOf(cookie: string): Promise<SessionDto['flowErrors']> {
  const read = await callRoute(session.GET as never, { method: 'GET', path: '/api/session', cookie });
  expect(read.response.status).toBe(200);
  return (read.json as SessionDto).flowErrors;
}

describe('a failed callback’s explanation', () => {
  it('survives any number of session reads, and goes when dismissed', async () => {
    const { cookie, sid } = await newSession();
    await getVault().putFlowError(sid, 'bluebutton', failure);
    expect(await flowErrorsOf(cookie)).toEqual([{ providerId: 'bluebutton', error: failure }]);
    expect(await flowErrorsOf(cookie)).toEqual([{ providerId: 'bluebutton', error: failure }]);

    const dismissed = await callRoute(dismiss.DELETE as never, { method: 'DELETE', path: '/api/session/flow-errors/bluebutton', params: { providerId: 'bluebutton' }, cookie });
    expect(dismissed.response.status).toBe(200);
    expect(dismissed.json).toEqual({ ok: true });
    expect(await flowErrorsOf(cookie)).toEqual([]);
  });

  it('goes when a new authorization starts for that provider, and only for that provider', async () => {
    const { cookie, sid } = await newSession();
    await getVault().putFlowError(sid, 'bluebutton', failure);
    await getVault().putFlowError(sid, 'healthsherpa', failure);
    const started = await callRoute(authorize.POST as never, {
      path: '/api/oauth/bluebutton/authorize',
      params: { providerId: 'bluebutton' },
      body: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'demo-demographic' } },
      cookie,
    });
    expect(started.response.status).toBe(200);
    expect((await flowErrorsOf(cookie)).map((entry) => entry.providerId)).toEqual(['healthsherpa']);
  });

  it('dismissing without a session, or a provider id that is not one, is a clear answer, never a 500', async () => {
    expect((await callRoute(dismiss.DELETE as never, { method: 'DELETE', path: '/api/session/flow-errors/bluebutton', params: { providerId: 'bluebutton' } })).response.status).toBe(200);
    const bad = await callRoute(dismiss.DELETE as never, { method: 'DELETE', path: '/api/session/flow-errors/..', params: { providerId: '..' } });
    expect(bad.response.status).toBe(404);
    expect(bad.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });
});
