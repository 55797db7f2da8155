import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRoute, startUpstream, type Listener } from '@/test/route-harness';
import * as simulations from './[providerId]/route';

/** The BFF takes DPoP and PAR failures only for a sandbox that supports them (the SMART reference server). */

let upstream: Listener;
beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'f'.repeat(64);
  upstream = await startUpstream();
});
afterAll(() => upstream.close());

const put = (providerId: string, failures: string[]) =>
  callRoute(simulations.PUT as never, { method: 'PUT', path: `/api/session/simulations/${providerId}`, params: { providerId }, body: { failures } });

describe('PUT /api/session/simulations/{providerId}', () => {
  it('switches DPoP and PAR failures on for the SMART sandbox', async () => {
    const answer = await put('smart', ['dpop_nonce_required', 'par_expired_request_uri']);
    expect(answer.response.status).toBe(200);
    expect(answer.json).toEqual({ providerId: 'smart', failures: ['dpop_nonce_required', 'par_expired_request_uri'] });
  });

  it('refuses them, with words, for a sandbox without DPoP or PAR, and keeps the others', async () => {
    const refused = await put('bcda', ['invalid_client', 'dpop_invalid_proof']);
    expect(refused.response.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('cannot simulate dpop_invalid_proof');
    expect((await put('bcda', ['invalid_client'])).response.status).toBe(200);
  });
});
