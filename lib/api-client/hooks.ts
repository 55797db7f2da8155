'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ApiClientError } from './api-client-error';
import { getPollDelayMs } from './bulk-export';
import {
  deleteSession,
  fetchProviders,
  fetchSession,
  postAuthorize,
  postFhirRequest,
  postRefresh,
  postToken,
  putSimulations,
  type AuthorizeInput,
  type TokenRequestInput,
  type WithClock,
} from './fetchers';
import { getHeader } from './headers';
import { queryKeys } from './query-keys';
import type {
  AuthorizeResponse,
  FhirProxyRequest,
  FhirProxyResponse,
  ProvidersResponse,
  SessionDto,
  SimulatedFailure,
  SimulationsDto,
  TokenResponseDto,
} from './schemas';
import { replaceProviderToken } from './token-selection';

export function useProviders() {
  return useQuery<ProvidersResponse, ApiClientError>({
    queryKey: queryKeys.providers.all,
    queryFn: ({ signal }) => fetchProviders(signal),
    staleTime: 5 * 60_000,
  });
}

export function useSession() {
  return useQuery<WithClock<SessionDto>, ApiClientError>({
    queryKey: queryKeys.session.all,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5_000,
  });
}

/** After anything that talks to a provider the server has a new exchange (and maybe a token) to show. */
function useInvalidateSession() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.session.all });
}

export interface GetTokenVariables {
  providerId: string;
  input: TokenRequestInput;
}

export function useGetToken() {
  const invalidateSession = useInvalidateSession();
  return useMutation<WithClock<TokenResponseDto>, ApiClientError, GetTokenVariables>({
    mutationFn: ({ providerId, input }) => postToken(providerId, input),
    onSettled: invalidateSession,
  });
}

export interface AuthorizeVariables {
  providerId: string;
  input: AuthorizeInput;
}

/**
 * Starts an authorization-code run and sends the browser to the provider's authorize page. The mutation stays
 * `isSuccess` while the browser leaves; coming back through the Back button (bfcache) resets it.
 */
export function useAuthorize() {
  const mutation = useMutation<AuthorizeResponse, ApiClientError, AuthorizeVariables>({
    mutationFn: ({ providerId, input }) => postAuthorize(providerId, input),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  });
  const { reset } = mutation;
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) reset();
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, [reset]);
  return mutation;
}

/**
 * Refreshes the provider's token on the server. The answer replaces the provider's token in the cached session
 * at once; the session is refetched either way (the timeline has a new exchange, and after `reauth_required`
 * the BFF has dropped the tokens). Never retried.
 */
export function useRefreshToken() {
  const queryClient = useQueryClient();
  const invalidateSession = useInvalidateSession();
  return useMutation<WithClock<TokenResponseDto>, ApiClientError, { providerId: string }>({
    mutationFn: ({ providerId }) => postRefresh(providerId),
    onSuccess: ({ token }) => {
      queryClient.setQueryData<WithClock<SessionDto>>(queryKeys.session.all, (session) =>
        session ? { ...session, tokens: replaceProviderToken(session.tokens, token) } : session,
      );
    },
    onSettled: invalidateSession,
  });
}

export interface FhirRequestVariables {
  providerId: string;
  request: FhirProxyRequest;
}

export function useFhirRequest() {
  const invalidateSession = useInvalidateSession();
  return useMutation<FhirProxyResponse, ApiClientError, FhirRequestVariables>({
    mutationFn: ({ providerId, request }) => postFhirRequest(providerId, request),
    onSettled: invalidateSession,
  });
}

export interface SimulationsVariables {
  providerId: string;
  failures: readonly SimulatedFailure[];
}

/**
 * Switches the session's simulated failures for a provider's built-in sandbox. The answer replaces the provider's
 * entry in the cached session at once; the session is refetched either way. Never retried.
 */
export function useSetSimulations() {
  const queryClient = useQueryClient();
  const invalidateSession = useInvalidateSession();
  return useMutation<SimulationsDto, ApiClientError, SimulationsVariables>({
    mutationFn: ({ providerId, failures }) => putSimulations(providerId, failures),
    onSuccess: (dto) => {
      queryClient.setQueryData<WithClock<SessionDto>>(queryKeys.session.all, (session) =>
        session ? { ...session, simulations: replaceSimulations(session.simulations, dto) } : session,
      );
    },
    onSettled: invalidateSession,
  });
}

function replaceSimulations(all: readonly SimulationsDto[], next: SimulationsDto): SimulationsDto[] {
  const others = all.filter((s) => s.providerId !== next.providerId);
  return next.failures.length > 0 ? [...others, next] : others;
}

export function useForgetSession() {
  const queryClient = useQueryClient();
  return useMutation<{ ok: true }, ApiClientError, void>({
    mutationFn: deleteSession,
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: queryKeys.fhir.all });
      await queryClient.invalidateQueries({ queryKey: queryKeys.session.all });
    },
  });
}

/** Stop following a job after this many status checks (~30 min at 1/s); the UI offers to check again. */
export const MAX_JOB_POLLS = 1800;

export interface BulkJobTarget {
  providerId: string;
  environmentId: string;
  /** The credential set whose endpoints the job lives on (1upHealth Patient Access), if any. */
  presetId?: string;
  /** Environment-relative status path, e.g. `/api/v2/jobs/7`. */
  jobPath: string;
  /** The kick-off's exchange id, so a reused status URL never shows an older job's answer. */
  kickoffId: string;
}

/**
 * Follows a bulk-export job: GET the status path, again after Retry-After (default 1 s) while it answers 202, and
 * stop on any other status, on an error, when `enabled` turns false or after MAX_JOB_POLLS checks. No retries.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-status-request
 */
export function useBulkExportJob(target: BulkJobTarget, enabled: boolean) {
  const invalidateSession = useInvalidateSession();
  const query = useQuery<FhirProxyResponse, ApiClientError>({
    queryKey: queryKeys.fhir.job(target.providerId, target.environmentId, target.jobPath, target.kickoffId),
    queryFn: ({ signal }) =>
      postFhirRequest(
        target.providerId,
        {
          environmentId: target.environmentId,
          presetId: target.presetId,
          method: 'GET',
          path: target.jobPath,
          headers: { Accept: 'application/fhir+json' },
        },
        signal,
      ),
    enabled,
    retry: false,
    staleTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    refetchIntervalInBackground: true,
    refetchInterval: (q) => {
      const data = q.state.data;
      if (!enabled || q.state.status === 'error' || !data || data.status !== 202) return false;
      if (q.state.dataUpdateCount >= MAX_JOB_POLLS) return false;
      return getPollDelayMs(getHeader(data.headers, 'retry-after'), Date.now());
    },
  });

  const settledStatus = query.data && query.data.status !== 202 ? query.data.status : null;
  useEffect(() => {
    // The timeline gets the final status check (and the ones before it) once the job settles.
    if (settledStatus !== null) void invalidateSession();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per settled status, not per render
  }, [settledStatus]);

  return query;
}
