'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiClientError } from './api-client-error';
import { queryKeys } from './query-keys';
import {
  deleteClientKey,
  deleteCustomProvider,
  fetchClientKeys,
  fetchCustomProviders,
  postClientKey,
  postDiscover,
  postRegisterClient,
  saveCustomProvider,
  type ClientKeyAction,
  type CustomProviderSave,
  type RegisterClientInput,
} from './smart-fetchers';
import type { ClientKeysResponse, CustomProviderDto, DiscoveryDto, RegisterClientResponse } from '@/lib/contract/smart';

/** Discovery and registration leave exchanges in the session timeline. */
function useInvalidateSession() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.session.all });
}

/** A custom provider change shows in the catalogue (`/api/providers`), the saved list and the keys' `usedBy`. */
function useInvalidateCustom() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.providers.all }),
      queryClient.invalidateQueries({ queryKey: queryKeys.customProviders.all }),
      queryClient.invalidateQueries({ queryKey: queryKeys.clientKeys.all }),
    ]);
}

export function useDiscover() {
  const invalidateSession = useInvalidateSession();
  return useMutation<DiscoveryDto, ApiClientError, { url: string }>({
    mutationFn: ({ url }) => postDiscover(url),
    onSettled: invalidateSession,
  });
}

export function useCustomProviders() {
  return useQuery<CustomProviderDto[], ApiClientError>({
    queryKey: queryKeys.customProviders.all,
    queryFn: ({ signal }) => fetchCustomProviders(signal),
    staleTime: 60_000,
  });
}

export interface SaveCustomProviderVariables {
  /** null creates a provider. */
  id: string | null;
  input: CustomProviderSave;
}

/** Saves, then waits for the catalogue to refetch so the caller can select the provider in the workbench. */
export function useSaveCustomProvider() {
  const invalidate = useInvalidateCustom();
  return useMutation<CustomProviderDto, ApiClientError, SaveCustomProviderVariables>({
    mutationFn: ({ id, input }) => saveCustomProvider(id, input),
    onSuccess: () => invalidate(),
  });
}

export function useDeleteCustomProvider() {
  const invalidate = useInvalidateCustom();
  return useMutation<{ ok: true }, ApiClientError, { id: string }>({
    mutationFn: ({ id }) => deleteCustomProvider(id),
    onSuccess: () => invalidate(),
  });
}

export function useRegisterClient() {
  const invalidateSession = useInvalidateSession();
  return useMutation<RegisterClientResponse, ApiClientError, RegisterClientInput>({
    mutationFn: postRegisterClient,
    onSettled: invalidateSession,
  });
}

export function useClientKeys() {
  return useQuery<ClientKeysResponse, ApiClientError>({
    queryKey: queryKeys.clientKeys.all,
    queryFn: ({ signal }) => fetchClientKeys(signal),
    staleTime: 60_000,
  });
}

/** Generates or imports a key on the server; the answer (public half only) replaces the cached list's entry. */
export function useCreateClientKey() {
  const queryClient = useQueryClient();
  return useMutation<Awaited<ReturnType<typeof postClientKey>>, ApiClientError, ClientKeyAction>({
    mutationFn: postClientKey,
    onSuccess: ({ key, jwksUrl }) => {
      queryClient.setQueryData<ClientKeysResponse>(queryKeys.clientKeys.all, (current) => ({
        jwksUrl,
        keys: [...(current?.keys ?? []).filter((k) => k.kid !== key.kid), key],
      }));
      return queryClient.invalidateQueries({ queryKey: queryKeys.clientKeys.all });
    },
  });
}

export function useDeleteClientKey() {
  const queryClient = useQueryClient();
  return useMutation<{ ok: true }, ApiClientError, { kid: string }>({
    mutationFn: ({ kid }) => deleteClientKey(kid),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.clientKeys.all }),
  });
}
