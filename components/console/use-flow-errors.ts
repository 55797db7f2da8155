'use client';

import { useCallback, useMemo, useState } from 'react';
import type { ApiErrorBody } from '@/lib/client/api-client-error';
import { useDismissFlowError } from '@/lib/client/hooks';
import type { SessionDto } from '@/lib/contract/schemas';

export type FlowErrors = Readonly<Record<string, ApiErrorBody>>;

/**
 * Failed authorization callbacks, per provider: the session's (the server keeps each until it is dismissed, a new
 * run starts or it expires, so every tab and every refetch sees it) and the ones only the page knows of (`initial`,
 * e.g. a callback that came back without the session cookie).
 */
export function useFlowErrors(session: SessionDto | undefined, initial: FlowErrors) {
  const [local, setLocal] = useState<FlowErrors>(initial);
  const dismissOnServer = useDismissFlowError();
  const errors = useMemo<FlowErrors>(
    () => ({ ...local, ...Object.fromEntries((session?.flowErrors ?? []).map((entry) => [entry.providerId, entry.error.error])) }),
    [local, session],
  );
  const { mutate } = dismissOnServer;
  const dismiss = useCallback(
    (providerId: string) => {
      setLocal((previous) => {
        if (!(providerId in previous)) return previous;
        const next = { ...previous };
        delete next[providerId];
        return next;
      });
      if (session?.flowErrors.some((entry) => entry.providerId === providerId)) mutate(providerId);
    },
    [session, mutate],
  );
  return { errors, dismiss };
}

/** What the page says when the callback found no session cookie (`?flow=no-session`). */
export function getNoSessionError(providerName: string): ApiErrorBody {
  return {
    code: 'no_session',
    message: `The browser came back from ${providerName} without this console’s session cookie, so the authorization could not be completed.`,
    hint: 'Cookies for this console may be blocked, or the session was forgotten meanwhile. Authorize again from this page.',
  };
}
