import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import { connection } from 'next/server';
import { chosenThemeSchema, THEME_COOKIE } from '@/lib/contract/theme';
import type { ReactNode } from 'react';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: 'Health OAuth Console',
  description:
    'A developer console for health-API OAuth: get a bearer token from a healthcare API sandbox, see exactly what happened, send a first FHIR request.',
  referrer: 'no-referrer',
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#18181b' },
  ],
  colorScheme: 'light dark',
};

/**
 * Every page is rendered per request, the not-found page too: proxy.ts gives each answer a fresh CSP nonce, and
 * Next can put it on its scripts only while rendering (a prerendered page's scripts would carry none).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const chosen = chosenThemeSchema.safeParse((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={chosen.success ? chosen.data : undefined}>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
