'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ApiClientError } from './api-client-error';
import {
  deleteFlowError,
  deleteSession,
  fetchDeclaredResourceTypes,
  fetchProviders,
  fetchSession,
  postAuthorize,
  postFhirRequest,
  putSimulations,
  type AuthorizeInput,
  type WithClock,
} from './fetchers';
import { queryKeys } from './query-keys';
import { epochToMs } from './relative-time';
import type {
  AuthorizeResponse,
  FhirProxyRequest,
  FhirProxyResponse,
  ProvidersResponse,
  SessionDto,
  SimulatedFailure,
  SimulationsDto,
} from '@/lib/contract/schemas';

/** `initial`: the list the page was rendered with, fresh as of now (null: ask the server). */
export function useProviders(initial: ProvidersResponse | null = null) {
  return useQuery<ProvidersResponse, ApiClientError>({
    queryKey: queryKeys.providers.all,
    queryFn: ({ signal }) => fetchProviders(signal),
    staleTime: 5 * 60_000,
    ...(initial ? { initialData: initial } : {}),
  });
}

/**
 * The session's tokens and exchanges. `live`: asked again while the tab is visible, so exchanges that no action of
 * this page announces (a bulk job's status polls, another tab) still arrive — the open sequence diagram draws them.
 */
export function useSession({ live = false }: { live?: boolean } = {}) {
  return useQuery<WithClock<SessionDto>, ApiClientError>({
    queryKey: queryKeys.session.all,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5_000,
    ...(live ? { refetchInterval: (query) => liveInterval(query.state.data), refetchIntervalInBackground: false } : {}),
  });
}

/** Every 2 s while exchanges keep coming (the answer carries their bodies: no faster), every 15 s once quiet. */
export function liveInterval(session: WithClock<SessionDto> | undefined): number {
  const newest = session?.exchanges.at(-1)?.startedAt;
  const quietFor = newest === undefined ? Infinity : session!.serverNow - epochToMs(newest);
  return quietFor < 60_000 ? 2_000 : 15_000;
}

/** After anything that talks to a provider the server has a new exchange (and maybe a token) to show. */
function useInvalidateSession() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.session.all });
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

/**
 * The resource types the FHIR base `basePath` declares, read once per provider, environment, credential set and
 * base and only while `enabled` (after a 404 to what looks like a resource type): the first request never waits
 * for it. Null (nothing to say) when the server has no readable CapabilityStatement; such an answer is not kept,
 * so a later 404 asks again (a token may have arrived since). Never retried.
 */
export function useDeclaredResourceTypes(providerId: string, target: { environmentId: string; presetId?: string }, basePath: string | null, enabled: boolean) {
  const invalidateSession = useInvalidateSession();
  const { environmentId, presetId } = target;
  return useQuery<string[] | null, ApiClientError>({
    queryKey: queryKeys.fhir.resourceTypes(providerId, environmentId, presetId, basePath ?? ''),
    queryFn: async ({ signal }) => {
      const types = await fetchDeclaredResourceTypes(providerId, { environmentId, presetId }, basePath ?? '', signal);
      // The metadata request is one of the session's exchanges: the timeline shows it.
      void invalidateSession();
      return types;
    },
    enabled: enabled && basePath !== null,
    retry: false,
    staleTime: (query) => (query.state.data ? 30 * 60_000 : 0),
    refetchOnWindowFocus: false,
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

/**
 * Dismisses a provider's explained callback failure: it leaves the cached session at once (reading the session
 * never deletes it; this does), and the server forgets it. Never retried.
 */
export function useDismissFlowError() {
  const queryClient = useQueryClient();
  return useMutation<{ ok: true }, ApiClientError, string>({
    mutationFn: (providerId) => deleteFlowError(providerId),
    onMutate: async (providerId) => {
      // A session read already under way would bring the error back.
      await queryClient.cancelQueries({ queryKey: queryKeys.session.all });
      queryClient.setQueryData<WithClock<SessionDto>>(queryKeys.session.all, (session) =>
        session ? { ...session, flowErrors: session.flowErrors.filter((entry) => entry.providerId !== providerId) } : session,
      );
    },
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
