'use client';

import { useCallback, useState } from 'react';
import type { ApiErrorBody } from '@/lib/client/api-client-error';
import type { SessionDto } from '@/lib/contract/schemas';

export type FlowErrors = Readonly<Record<string, ApiErrorBody>>;

/**
 * Failed authorization callbacks, per provider. The BFF reports each one in a single session answer only (the next
 * refetch no longer has it), so they are kept here until dismissed or a new run starts.
 */
export function useFlowErrors(session: SessionDto | undefined, initial: FlowErrors) {
  const [errors, setErrors] = useState<FlowErrors>(initial);
  const [seen, setSeen] = useState<SessionDto | undefined>(undefined);
  // Adjusting state while rendering (not in an effect): a new session answer is folded in before it paints.
  if (session !== seen) {
    setSeen(session);
    if (session && session.flowErrors.length > 0) {
      setErrors((previous) => ({
        ...previous,
        ...Object.fromEntries(session.flowErrors.map((entry) => [entry.providerId, entry.error.error])),
      }));
    }
  }
  const dismiss = useCallback((providerId: string) => {
    setErrors((previous) => {
      if (!(providerId in previous)) return previous;
      const next = { ...previous };
      delete next[providerId];
      return next;
    });
  }, []);
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
