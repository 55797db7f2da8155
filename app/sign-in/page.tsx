import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { SignInCard } from '@/components/auth/sign-in-card';
import { getConsoleAuth } from '@/lib/auth';
import { getConsoleViewer } from '@/lib/auth/viewer';

// Sign-in is configured at run time, not build time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Sign in · Health OAuth Console' };

/** next-auth's error codes (`?error=`), in words for the person who has to try again. */
const SIGN_IN_ERRORS: Record<string, string> = {
  OAuthSignin: 'The sign-in request could not be started. The identity provider may be unreachable.',
  OAuthCallback: 'The identity provider’s answer could not be verified. Try again.',
  Callback: 'Sign-in could not be completed. Try again.',
  AccessDenied: 'The identity provider refused the sign-in.',
  Configuration: 'Sign-in is misconfigured on the server. The server log has the details.',
  SessionRequired: 'Sign in to use this console.',
};

/** `/sign-in`: the provider buttons; signed-in users and consoles without sign-in go straight to the console. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = getConsoleAuth();
  if (!auth.enabled) redirect('/');
  if (await getConsoleViewer((await headers()).get('cookie'))) redirect('/');
  const params = await searchParams;
  const error = typeof params.error === 'string' ? (SIGN_IN_ERRORS[params.error] ?? 'Sign-in failed. Try again.') : null;
  return (
    <SignInCard
      providers={auth.providers.map((p) => ({ id: p.id, name: p.name }))}
      error={error}
      signedOut={params['signed-out'] === '1'}
    />
  );
}
