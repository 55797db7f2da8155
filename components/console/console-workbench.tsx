'use client';

import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Button } from '@/components/ui/button';
import { useProviders } from '@/lib/client/hooks';
import { ConsoleSkeleton } from './console-skeleton';
import { Workbench } from './workbench';

/** Loads the provider catalogue, then hands it to the workbench. */
export function ConsoleWorkbench() {
  const providers = useProviders();

  if (providers.isPending) return <ConsoleSkeleton />;
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
