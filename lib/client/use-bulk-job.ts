'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useReducer, useRef } from 'react';
import { createJobState, getJobEffect, reduceJob, type JobState } from '@/lib/client/bulk/job-machine';
import { toStatusErrorEvent, toUpstreamAnswer } from './bulk-events';
import type { FlowTarget } from './effective-flow';
import { postFhirRequest } from './fetchers';
import { queryKeys } from './query-keys';

export interface BulkJobInput {
  providerId: string;
  target: Pick<FlowTarget, 'environmentId' | 'presetId'>;
  /** Environment-relative status path, e.g. `/api/v2/jobs/7`. */
  jobPath: string;
  /** Gets a new token after a 401 (the token owner's renew); rejects with a sentence when the user must act. */
  renewToken: () => Promise<void>;
}

export interface BulkJobControls {
  state: JobState;
  checkNow: () => void;
  cancel: () => void;
}

/**
 * Follows one bulk-export job through the FHIR proxy with the job state machine (lib/client/bulk/job-machine.ts): runs
 * the poll, renew and cancel effects it names, one at a time, and nothing after the component unmounts.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-status-request
 */
export function useBulkJob({ providerId, target, jobPath, renewToken }: BulkJobInput): BulkJobControls {
  const [state, dispatch] = useReducer(reduceJob, undefined, () => createJobState(Date.now()));
  const queryClient = useQueryClient();
  const effect = getJobEffect(state);
  const pollAt = effect.kind === 'poll' ? effect.atMs : null;
  const { environmentId, presetId } = target;
  const inFlight = useRef<AbortController | null>(null);

  useEffect(() => () => inFlight.current?.abort(), []);

  useEffect(() => {
    if (pollAt === null) return;
    const timer = setTimeout(() => {
      dispatch({ type: 'poll-sent' });
      const controller = new AbortController();
      inFlight.current = controller;
      postFhirRequest(
        providerId,
        { environmentId, presetId, method: 'GET', path: jobPath, headers: { Accept: 'application/fhir+json' } },
        controller.signal,
      ).then(
        (response) => dispatch({ type: 'status-answer', answer: toUpstreamAnswer(response), now: Date.now() }),
        (error: unknown) => {
          if (!controller.signal.aborted) dispatch(toStatusErrorEvent(error, Date.now()));
        },
      );
    }, Math.max(0, pollAt - Date.now()));
    return () => clearTimeout(timer);
  }, [pollAt, providerId, environmentId, presetId, jobPath]);

  // Each renewal and cancel is sent once, even when an effect runs twice (React's StrictMode in development).
  const renewSent = useRef(false);
  const renewing = state.phase === 'renewing';
  useEffect(() => {
    if (!renewing) {
      renewSent.current = false;
      return;
    }
    if (renewSent.current) return;
    renewSent.current = true;
    renewToken().then(
      () => dispatch({ type: 'token-renewed', now: Date.now() }),
      (error: unknown) =>
        dispatch({ type: 'renew-failed', message: error instanceof Error ? error.message : 'Could not get a new token.' }),
    );
  }, [renewing, renewToken]);

  const cancelSent = useRef(false);
  const cancelling = state.phase === 'cancelling';
  useEffect(() => {
    if (!cancelling) {
      cancelSent.current = false;
      return;
    }
    if (cancelSent.current) return;
    cancelSent.current = true;
    postFhirRequest(providerId, { environmentId, presetId, method: 'DELETE', path: jobPath }).then(
      (response) => dispatch({ type: 'cancel-answer', answer: toUpstreamAnswer(response), now: Date.now() }),
      (error: unknown) =>
        dispatch({ type: 'cancel-error', message: error instanceof Error ? error.message : 'Could not cancel.', now: Date.now() }),
    );
  }, [cancelling, providerId, environmentId, presetId, jobPath]);

  // The timeline shows each exchange; refresh it when the job changes phase, not on every 202.
  const phase = state.phase;
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.session.all });
  }, [phase, queryClient]);

  return {
    state,
    checkNow: () => dispatch({ type: 'check-now', now: Date.now() }),
    cancel: () => dispatch({ type: 'cancel-requested' }),
  };
}
