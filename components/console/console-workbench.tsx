'use client';

import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Button } from '@/components/ui/button';
import { useSyncExternalStore } from 'react';
import { useProviders } from '@/lib/client/hooks';
import type { ProvidersResponse } from '@/lib/contract/schemas';
import { ConsoleSkeleton } from './console-skeleton';
import { Workbench } from './workbench';

/**
 * Hands the provider catalogue to the workbench: the one rendered with the page, or (without one) the answer of
 * `/api/providers`. The workbench itself renders in the browser only: it reads the page's location and session.
 */
export function ConsoleWorkbench({ initialCatalogue }: { initialCatalogue: ProvidersResponse | null }) {
  const providers = useProviders(initialCatalogue);
  const inBrowser = useSyncExternalStore(noSubscription, () => true, () => false);

  if (providers.isPending || !inBrowser) return <ConsoleSkeleton />;
  if (providers.error) {
    return (
      <div className="mx-auto max-w-xl space-y-3 py-12">
        <ApiErrorCard error={providers.error} title="Could not load the providers" />
        <Button onClick={() => void providers.refetch()} pending={providers.isFetching}>
          Try again
        </Button>
      </div>
    );
  }
  if (providers.data.providers.length === 0) {
    return <p className="py-12 text-center text-sm text-zinc-600">This server has no providers configured.</p>;
  }
  return <Workbench catalogue={providers.data} />;
}

const noSubscription = () => () => undefined;
