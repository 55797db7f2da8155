import 'server-only';
import type { ConsoleViewer } from '@/lib/contract/schemas';
import { getConsoleAuth } from '.';
import { readSignedInUser } from './signed-in-user';

/**
 * Who is looking at a console page, from the request's Cookie header: sign-in off, a signed-in user, or
 * `null` when sign-in is on and nobody is signed in (the page then redirects to the sign-in page).
 */
export async function getConsoleViewer(cookieHeader: string | null): Promise<ConsoleViewer | null> {
  const auth = getConsoleAuth();
  if (!auth.enabled) return { signIn: 'off' };
  const user = await readSignedInUser(cookieHeader, auth);
  if (!user) return null;
  const provider = auth.providers.find((p) => p.id === user.providerId);
  return {
    signIn: 'on',
    user: { name: user.name ?? user.email ?? user.subject, email: user.email ?? null, providerName: provider?.name ?? user.providerId },
  };
}
