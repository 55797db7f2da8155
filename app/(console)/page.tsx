import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { ConsoleApp } from '@/components/console/console-app';
import { SIGN_IN_PAGE } from '@/lib/auth/config';
import { getConsoleViewer } from '@/lib/auth/viewer';

/**
 * `/`: a Server Component shell; everything interactive lives in the client-side ConsoleApp. With console
 * sign-in configured it needs a signed-in user (the BFF routes check again, in defineRoute).
 */
export default async function ConsolePage() {
  const viewer = await getConsoleViewer((await headers()).get('cookie'));
  if (!viewer) redirect(SIGN_IN_PAGE);
  return <ConsoleApp viewer={viewer} />;
}
