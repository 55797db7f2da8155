'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClientError } from './api-client-error';
import { queryKeys } from './query-keys';
import { apiRequest } from './request';
import { introspectionDtoSchema, type IntrospectionDto } from '@/lib/contract/schemas';

export function postIntrospection(providerId: string): Promise<IntrospectionDto> {
  return apiRequest(`/api/oauth/${encodeURIComponent(providerId)}/introspect`, introspectionDtoSchema, { method: 'POST' });
}

/**
 * Asks the provider (RFC 7662) about the session's token for one provider. The session is read again after: the
 * exchange joins the timeline, and an inactive answer marks the token refused.
 */
export function useIntrospection() {
  const queryClient = useQueryClient();
  return useMutation<IntrospectionDto, ApiClientError, { providerId: string }>({
    mutationFn: ({ providerId }) => postIntrospection(providerId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.session.all }),
  });
}
