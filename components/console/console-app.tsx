'use client';

import { useState } from 'react';
import { useForgetSession, useSession } from '@/lib/client/hooks';
import type { ConsoleViewer, ProvidersResponse } from '@/lib/contract/schemas';
import { ConsoleHeader } from './console-header';
import { ConsoleWorkbench } from './console-workbench';

/** The one-screen console. Forgetting the session remounts the workbench so no local state survives it. */
/** `catalogue`: the provider list rendered with the page, or null to ask for it. */
export function ConsoleApp({ viewer, catalogue }: { viewer: ConsoleViewer; catalogue: ProvidersResponse | null }) {
  const [generation, setGeneration] = useState(0);
  const forget = useForgetSession();
  const session = useSession();

  return (
    <div className="min-h-screen">
      <ConsoleHeader
        viewer={viewer}
        sessionTag={session.data?.sessionTag ?? null}
        forgetting={forget.isPending}
        forgetError={forget.error ? `Could not forget: ${forget.error.message}` : undefined}
        onForget={() => forget.mutate(undefined, { onSuccess: () => setGeneration((n) => n + 1) })}
      />
      <main className="mx-auto max-w-[1440px] px-4 py-6 sm:px-6">
        <ConsoleWorkbench key={generation} initialCatalogue={catalogue} />
      </main>
    </div>
  );
}
