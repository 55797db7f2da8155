import 'server-only';
import { createHash } from 'node:crypto';
import type { SessionCookie, SessionOwner } from '@/lib/session/cookie';
import type { SignedInUser } from './signed-in-user';

/**
 * Each console session belongs to one sign-in: the user (issuer + subject) and when they signed in. A session
 * cookie left by another user, or by an earlier sign-in of the same user, opens nothing, so user B never sees
 * A's tokens on a shared browser and every sign-in starts with a new session id (SECURITY.md rule 10).
 */

/** The owner a new session of this sign-in gets; the user as a hash, to keep the cookie small. */
export function sessionOwnerOf(user: SignedInUser): SessionOwner {
  return { user: createHash('sha256').update(`${user.issuer}\n${user.subject}`).digest('base64url'), signedInAt: user.signedInAt };
}

/**
 * Whether a session cookie belongs to this sign-in. With sign-in off (`owner` null) only unowned sessions do,
 * so turning sign-in off does not hand anyone the sessions of signed-in users.
 */
export function sessionBelongsTo(session: SessionCookie, owner: SessionOwner | null): boolean {
  if (!owner) return session.owner === undefined;
  return session.owner?.user === owner.user && session.owner.signedInAt === owner.signedInAt;
}
