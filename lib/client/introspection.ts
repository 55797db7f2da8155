'use client';

import { useMutation } from '@tanstack/react-query';
import type { ApiClientError } from './api-client-error';
import { apiRequest } from './request';
import { introspectionDtoSchema, type IntrospectionDto } from '@/lib/contract/schemas';

export function postIntrospection(providerId: string): Promise<IntrospectionDto> {
  return apiRequest(`/api/oauth/${encodeURIComponent(providerId)}/introspect`, introspectionDtoSchema, { method: 'POST' });
}

/** Asks the provider (RFC 7662) about the session's token for one provider. */
export function useIntrospection() {
  return useMutation<IntrospectionDto, ApiClientError, { providerId: string }>({
    mutationFn: ({ providerId }) => postIntrospection(providerId),
  });
}
