import { describe, expect, it } from 'vitest';
import { withSharedRedis } from '@/test/shared-redis';
import { createTestClock } from '../shared/test-helpers';
import type { Contact } from './contact';
import type { HealthSherpaSandbox } from './index';
import {
  authorizeQuery,
  bearer,
  codeExchange,
  createTestSandbox,
  firstAgent,
  formPost,
  hiddenFields,
  refreshRequest,
  secondAgent,
  send,
  type TokenBody,
} from './test-helpers';

// Console instances behind a round-robin balancer: every request of a flow goes to the other instance than the one
// before, and each instance has its own connection to the one Redis they share.

const SECRET = 'h'.repeat(40);
const shared = withSharedRedis(SECRET);

/** Every code, token and authorization id the sandboxes handed out, to look for in Redis at the end. */
const issued = new Set<string>();
const keyPrefix = `hs${Math.random().toString(36).slice(2)}:`;

/** One console instance on the shared Redis (a fresh connection, as a restarted process has). */
function instance(clock: ReturnType<typeof createTestClock>): HealthSherpaSandbox {
  const state = shared.state(keyPrefix, { commandTimeoutMs: 2000 });
  // Doorkeeper's error bodies tell a revoked token from an unknown one.
  return createTestSandbox({ state, now: clock.now, apiAuthErrors: 'oauth' }).sandbox;
}

function twoInstances() {
  const clock = createTestClock();
  return { a: instance(clock), b: instance(clock), clock };
}

function idOf(html: string): string {
  const id = hiddenFields(html).authorization_id ?? '';
  issued.add(id);
  return id;
}

/** authorize on `a`, sign-in on `b`, decision on `a`: the code from the redirect. */
async function codeAcross(a: HealthSherpaSandbox, b: HealthSherpaSandbox, agent = firstAgent) {
  const login = await send(a, authorizeQuery());
  expect(login.status).toBe(200);
  const loginHtml = await login.text();
  const consent = await send(b, '/oauth/authorize', formPost({ authorization_id: idOf(loginHtml), email: agent.username, password: agent.password }));
  expect(consent.status).toBe(200);
  const consentHtml = await consent.text();
  expect(consentHtml).toContain('Authorization required');
  const decision = await send(a, '/oauth/authorize', formPost({ authorization_id: idOf(consentHtml), decision: 'authorize' }));
  expect(decision.status).toBe(302);
  const location = new URL(decision.headers.get('location') ?? '');
  expect(location.searchParams.get('state')).toBe('state-1234567890abcdef');
  const code = location.searchParams.get('code') ?? '';
  expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  issued.add(code);
  return { code, loginHtml, consentHtml };
}

async function tokensFrom(response: Response): Promise<TokenBody> {
  expect(response.status).toBe(200);
  const body = (await response.json()) as TokenBody;
  issued.add(body.access_token);
  issued.add(body.refresh_token);
  return body;
}

/** The whole flow across `a` and `b`, the token request on `b`. */
async function tokensAcross(a: HealthSherpaSandbox, b: HealthSherpaSandbox, agent = firstAgent): Promise<TokenBody> {
  const { code } = await codeAcross(a, b, agent);
  return tokensFrom(await send(b, '/oauth/token', codeExchange(code)));
}

async function errorOf(response: Response): Promise<string> {
  expect(response.status).toBe(401);
  return ((await response.json()) as { error_description: string }).error_description;
}

function createContact(token: string, lastName: string): RequestInit {
  return {
    method: 'POST',
    headers: { ...bearer(token), 'Content-Type': 'application/json' },
    body: JSON.stringify({ contact: { external_id: `CRM-${lastName}`, first_name: 'Quinlan', last_name: lastName, birth_date: '1950-02-03', phone: '5551234567' } }),
  };
}

describe('HealthSherpa on two instances sharing Redis', () => {
  it('runs authorize → sign-in → consent → token → contacts → refresh, each step on the other instance', async () => {
    const { a, b } = twoInstances();
    const { code } = await codeAcross(a, b);
    const tokens = await tokensFrom(await send(b, '/oauth/token', codeExchange(code)));

    // A contact created through one instance is read through the other.
    const created = await send(a, '/v2/contacts', createContact(tokens.access_token, 'Zellweger-Shared'));
    expect(created.status).toBe(201);
    const contact = ((await created.json()) as { data: { contact: Contact } }).data.contact;
    const read = await send(b, `/v2/contacts/${contact.id}`, { headers: bearer(tokens.access_token) });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { data: { contact: Contact } }).data.contact).toEqual(contact);
    const listed = await send(a, '/v2/contacts?last_name=zellweger-shared', { headers: bearer(tokens.access_token) });
    expect(((await listed.json()) as { data: { contacts: Contact[] } }).data.contacts).toEqual([contact]);

    // Refresh on b rotates: a refuses the old refresh token, and reports the old access token revoked.
    const refreshed = await tokensFrom(await send(b, '/oauth/token', refreshRequest(tokens.refresh_token)));
    const reused = await send(a, '/oauth/token', refreshRequest(tokens.refresh_token));
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { error: string }).error).toBe('invalid_grant');
    expect(await errorOf(await send(b, '/v2/contacts', { headers: bearer(tokens.access_token) }))).toBe('The access token was revoked');

    // The new token, on the other instance, sees the same contacts.
    const search = await send(a, `/v2/contacts/search?first_name=Quinlan&last_name=Zellweger-Shared&phone=5551234567`, {
      headers: bearer(refreshed.access_token),
    });
    expect(((await search.json()) as { data: { contacts: Contact[] } }).data.contacts.map((found) => found.id)).toEqual([contact.id]);
    // Another agent's token does not.
    const other = await tokensAcross(b, a, secondAgent);
    expect((await send(b, `/v2/contacts/${contact.id}`, { headers: bearer(other.access_token) })).status).toBe(404);
  });

  it('redeems a code once when both instances race for it, and a later replay revokes its tokens', async () => {
    const { a, b } = twoInstances();
    const { code } = await codeAcross(a, b);
    const raced = await Promise.all([send(a, '/oauth/token', codeExchange(code)), send(b, '/oauth/token', codeExchange(code))]);
    expect(raced.map((response) => response.status).sort()).toEqual([200, 400]);

    // Sequentially: redeemed on b, replayed on a; a revoked family is revoked for b too.
    const second = await codeAcross(b, a);
    const tokens = await tokensFrom(await send(b, '/oauth/token', codeExchange(second.code)));
    expect((await send(a, '/v2/contacts', { headers: bearer(tokens.access_token) })).status).toBe(200);
    expect((await send(b, '/oauth/token', codeExchange(second.code))).status).toBe(400);
    expect(await errorOf(await send(a, '/v2/contacts', { headers: bearer(tokens.access_token) }))).toBe('The access token was revoked');
    expect((await send(b, '/oauth/token', refreshRequest(tokens.refresh_token))).status).toBe(400);
  });

  it('refreshes once when both instances race with one refresh token', async () => {
    const { a, b } = twoInstances();
    const tokens = await tokensAcross(a, b);
    const raced = await Promise.all([
      send(a, '/oauth/token', refreshRequest(tokens.refresh_token)),
      send(b, '/oauth/token', refreshRequest(tokens.refresh_token)),
    ]);
    expect(raced.map((response) => response.status).sort()).toEqual([200, 400]);
    const winner = await tokensFrom(raced.find((response) => response.status === 200) ?? new Response(null, { status: 500 }));
    expect((await send(a, '/v2/contacts', { headers: bearer(winner.access_token) })).status).toBe(200);
  });

  it('accepts the sign-in form and the decision once each, whichever instance gets them again', async () => {
    const { a, b } = twoInstances();
    const { loginHtml, consentHtml } = await codeAcross(a, b);
    const signInAgain = await send(b, '/oauth/authorize', formPost({ ...hiddenFields(loginHtml), email: firstAgent.username, password: firstAgent.password }));
    expect(signInAgain.status).toBe(400);
    expect(await signInAgain.text()).toContain('expired or was already completed');
    const decideAgain = await send(b, '/oauth/authorize', formPost({ ...hiddenFields(consentHtml), decision: 'authorize' }));
    expect(decideAgain.status).toBe(400);
  });

  it('lets a restarted instance (a fresh process on the same Redis) continue a flow', async () => {
    const { a, b, clock } = twoInstances();
    const login = await send(a, authorizeQuery());
    const consent = await send(
      instance(clock),
      '/oauth/authorize',
      formPost({ authorization_id: idOf(await login.text()), email: firstAgent.username, password: firstAgent.password }),
    );
    const decision = await send(b, '/oauth/authorize', formPost({ authorization_id: idOf(await consent.text()), decision: 'authorize' }));
    const code = new URL(decision.headers.get('location') ?? '').searchParams.get('code') ?? '';
    issued.add(code);
    const tokens = await tokensFrom(await send(instance(clock), '/oauth/token', codeExchange(code)));
    const created = await send(a, '/v2/contacts', createContact(tokens.access_token, 'Restarted'));
    const { id } = ((await created.json()) as { data: { contact: Contact } }).data.contact;
    const again = instance(clock);
    expect((await send(again, `/v2/contacts/${id}`, { headers: bearer(tokens.access_token) })).status).toBe(200);
    await tokensFrom(await send(again, '/oauth/token', refreshRequest(tokens.refresh_token)));
  });

  it('keeps no code, token, authorization id or contact in plain text in Redis', async () => {
    expect(issued.size).toBeGreaterThan(20);
    const text = await shared.dump(keyPrefix);
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [...issued, 'Zellweger-Shared', 'Quinlan']) {
      expect(secret.length).toBeGreaterThan(0);
      expect(text).not.toContain(secret);
    }
    expect(text).toContain(`${keyPrefix}healthsherpa:contacts:`);
  });
});
