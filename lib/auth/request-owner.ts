import 'server-only';
import type { SessionOwner } from '@/lib/session/cookie';
import { getConsoleAuth } from '.';
import { sessionOwnerOf } from './session-binding';
import { readSignedInUser } from './signed-in-user';

/**
 * Whose request this is, from its Cookie header: `null` with console sign-in off (everyone shares the `local`
 * workspace), the signed-in user's owner, or `undefined` when sign-in is on and nobody is signed in.
 */
export async function readRequestOwner(cookieHeader: string | null): Promise<SessionOwner | null | undefined> {
  const auth = getConsoleAuth();
  if (!auth.enabled) return null;
  const user = await readSignedInUser(cookieHeader, auth);
  return user ? sessionOwnerOf(user) : undefined;
}
