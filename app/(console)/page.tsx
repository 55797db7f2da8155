import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { ConsoleApp } from '@/components/console/console-app';
import { SIGN_IN_PAGE } from '@/lib/auth/config';
import { getConsoleViewer } from '@/lib/auth/viewer';
import { readProvidersForPage } from '@/lib/smart/providers-response';

/**
 * `/`: a Server Component shell; everything interactive lives in the client-side ConsoleApp, which gets the
 * provider list with the page (issue #16: no second round trip before the first screen). With console sign-in
 * configured it needs a signed-in user (the BFF routes check again, in defineRoute).
 */
export default async function ConsolePage() {
  const requestHeaders = await headers();
  const viewer = await getConsoleViewer(requestHeaders.get('cookie'));
  if (!viewer) redirect(SIGN_IN_PAGE);
  return <ConsoleApp viewer={viewer} catalogue={await readProvidersForPage(requestHeaders)} />;
}
