'use client';

import { useState } from 'react';
import { useForgetSession } from '@/lib/api-client/hooks';
import { ConsoleHeader } from './console-header';
import { ConsoleWorkbench } from './console-workbench';

/** The one-screen console. Forgetting the session remounts the workbench so no local state survives it. */
export function ConsoleApp() {
  const [generation, setGeneration] = useState(0);
  const forget = useForgetSession();

  return (
    <div className="min-h-screen">
      <ConsoleHeader
        forgetting={forget.isPending}
        forgetError={forget.error ? `Could not forget: ${forget.error.message}` : undefined}
        onForget={() => forget.mutate(undefined, { onSuccess: () => setGeneration((n) => n + 1) })}
      />
      <main className="mx-auto max-w-[1440px] px-4 py-6 sm:px-6">
        <ConsoleWorkbench key={generation} />
      </main>
    </div>
  );
}
