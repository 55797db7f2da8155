'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { ConformanceRunRequest } from '@/lib/contract/schemas';
import { ApiClientError } from '../api-client-error';
import { queryKeys } from '../query-keys';
import { conformanceRunReducer, fetchCheckCatalogue, initialRunState, runConformanceChecks } from './run';

/** The check catalogue: fetched once per page (it changes only with the console's version). */
export function useCheckCatalogue() {
  return useQuery({ queryKey: queryKeys.conformance.catalogue, queryFn: ({ signal }) => fetchCheckCatalogue(signal), staleTime: Infinity });
}

/**
 * One "Check this server" run at a time: its state as the events come, `start` to run (again), stopped when the
 * panel goes away. The session is read again when it ends, so the timeline shows the run's exchanges.
 */
export function useConformanceRun() {
  const [state, dispatch] = useReducer(conformanceRunReducer, initialRunState);
  const queryClient = useQueryClient();
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const start = useCallback(
    (providerId: string, request: ConformanceRunRequest) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      dispatch({ type: 'begin' });
      runConformanceChecks(providerId, request, (event) => dispatch({ type: 'event', event }), controller.signal)
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          dispatch({ type: 'fail', message: error instanceof ApiClientError ? `${error.message}${error.body.hint ? ` ${error.body.hint}` : ''}` : 'The run could not be read to its end.' });
        })
        .finally(() => {
          if (!controller.signal.aborted) void queryClient.invalidateQueries({ queryKey: queryKeys.session.all });
        });
    },
    [queryClient],
  );
  return { state, start };
}
