import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenResponseDto } from '@/lib/contract/schemas';
import { callRoute, startUpstream, type Listener } from '@/test/route-harness';
import * as token from './[providerId]/token/route';

/** Issue #20: a token answer carries only the timeline the page lacks, when the page says what it holds. */

let upstream: Listener;
beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'f'.repeat(64);
  upstream = await startUpstream();
});
afterAll(() => upstream.close());

const mint = (cookie: string | undefined, sessionAfter?: string) =>
  callRoute(token.POST as never, {
    path: '/api/oauth/1uphealth/token',
    params: { providerId: '1uphealth' },
    body: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'provider-access' }, forceNew: true, ...(sessionAfter ? { sessionAfter } : {}) },
    ...(cookie ? { cookie } : {}),
  });

describe('POST /api/oauth/{provider}/token with sessionAfter', () => {
  it('answers only the exchanges after the one the page holds, and the whole timeline when it names none or one that is gone', async () => {
    const first = await mint(undefined);
    expect(first.response.status).toBe(200);
    const cookie = first.cookie!;
    const whole = (first.json as TokenResponseDto).session;
    expect(whole.exchangesAfter).toBeUndefined();
    const held = whole.exchanges.at(-1)!.id;

    const second = (await mint(cookie, held)).json as TokenResponseDto;
    expect(second.session.exchangesAfter).toBe(held);
    expect(second.session.exchanges.map((e) => e.kind)).toEqual(['token']);
    expect(second.session.exchanges[0]!.id).not.toBe(held);
    expect(second.session.exchanges[0]!.checks?.length).toBeGreaterThan(0);

    const unknown = (await mint(cookie, 'not-an-exchange-of-this-session')).json as TokenResponseDto;
    expect(unknown.session.exchangesAfter).toBeUndefined();
    expect(unknown.session.exchanges.length).toBeGreaterThanOrEqual(whole.exchanges.length + 2);
  });
});
