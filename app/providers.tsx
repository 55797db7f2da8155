'use client';

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { z } from 'zod';
import { isApiClientError, shouldRetryQuery } from '@/lib/client/api-client-error';

// zod's compiled parsers probe for eval with `Function("")`, which the page's CSP forbids (SECURITY.md rule 12):
// parse without them rather than have every page report a violation.
z.config({ jitless: true });

/**
 * The console sign-in ended (expired, or signed out in another tab): back to the sign-in page, as a full load so
 * nothing of the last user's page state survives.
 */
function onApiError(error: unknown): void {
  if (isApiClientError(error) && error.code === 'sign_in_required') window.location.assign(new URL('/sign-in', window.location.href));
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onApiError }),
    mutationCache: new MutationCache({ onError: onApiError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // One retry after a network failure; an HTTP answer (4xx/5xx) would only repeat itself.
        retry: shouldRetryQuery,
        refetchOnWindowFocus: true,
      },
      mutations: {
        // Token and FHIR calls hit rate-limited providers: never repeat one behind the user's back.
        retry: false,
      },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
