import { describe, expect, it } from 'vitest';
import { newSessionCookie } from '@/lib/session/cookie';
import { sessionBelongsTo, sessionOwnerOf } from './session-binding';
import type { SignedInUser } from './signed-in-user';

const alice: SignedInUser = { issuer: 'https://idp.example.com', subject: 'alice', providerId: 'oidc', name: 'Alice', email: null, signedInAt: 1_000 };
const bob: SignedInUser = { ...alice, subject: 'bob', name: 'Bob' };

describe('session binding', () => {
  it('a session belongs to the sign-in that created it', () => {
    expect(sessionBelongsTo(newSessionCookie(5, sessionOwnerOf(alice)), sessionOwnerOf(alice))).toBe(true);
  });

  it("another user's session is not theirs, even signed in at the same moment", () => {
    expect(sessionBelongsTo(newSessionCookie(5, sessionOwnerOf(alice)), sessionOwnerOf(bob))).toBe(false);
  });

  it('the same subject at another issuer is another user', () => {
    const github = { ...alice, issuer: 'https://github.com', providerId: 'github' };
    expect(sessionBelongsTo(newSessionCookie(5, sessionOwnerOf(alice)), sessionOwnerOf(github))).toBe(false);
  });

  it('a new sign-in of the same user does not reopen the old session', () => {
    const later = { ...alice, signedInAt: 2_000 };
    expect(sessionBelongsTo(newSessionCookie(5, sessionOwnerOf(alice)), sessionOwnerOf(later))).toBe(false);
  });

  it('with sign-in on, an unowned session (made while sign-in was off) is nobody’s; with it off, an owned one is', () => {
    expect(sessionBelongsTo(newSessionCookie(5), sessionOwnerOf(alice))).toBe(false);
    expect(sessionBelongsTo(newSessionCookie(5, sessionOwnerOf(alice)), null)).toBe(false);
    expect(sessionBelongsTo(newSessionCookie(5), null)).toBe(true);
  });

  it('the owner is a hash: the cookie carries neither issuer nor subject', () => {
    const owner = sessionOwnerOf(alice);
    expect(owner.user).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(owner)).not.toContain('alice');
  });
});
