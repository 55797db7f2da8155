import { OneTimeSecret } from './one-time-secret';
import { apiRequest } from './request';
import {
  fhirProxyRequestSchema,
  fhirProxyResponseSchema,
  providersResponseSchema,
  sessionDtoSchema,
  tokenRequestSchema,
  tokenResponseDtoSchema,
  type FhirProxyRequest,
  type FhirProxyResponse,
  type ProvidersResponse,
  type SessionDto,
  type TokenResponseDto,
} from './schemas';
import { z } from 'zod';
import { ApiClientError } from './api-client-error';

/**
 * A server answer plus the difference between the server clock and this browser's clock, measured when the answer
 * arrived. Countdowns use it so a skewed laptop clock does not expire a live token early.
 */
export type WithClock<T> = T & { clockOffsetMs: number };

function withClock<T extends { serverNow: number }>(dto: T): WithClock<T> {
  return { ...dto, clockOffsetMs: dto.serverNow - Date.now() };
}

export function fetchProviders(signal?: AbortSignal): Promise<ProvidersResponse> {
  return apiRequest('/api/providers', providersResponseSchema, { signal });
}

export async function fetchSession(signal?: AbortSignal): Promise<WithClock<SessionDto>> {
  return withClock(await apiRequest('/api/session', sessionDtoSchema, { signal }));
}

export async function deleteSession(): Promise<{ ok: true }> {
  return apiRequest('/api/session', z.object({ ok: z.literal(true) }), { method: 'DELETE' });
}

/** The page's view of a token request: a custom secret travels in a OneTimeSecret, never as a plain field. */
export type TokenRequestInput = {
  environmentId: string;
  forceNew?: boolean;
  credential:
    | { kind: 'preset'; presetId: string }
    | { kind: 'custom'; clientId: string; clientSecret: OneTimeSecret };
};

export async function postToken(providerId: string, input: TokenRequestInput): Promise<WithClock<TokenResponseDto>> {
  const credential =
    input.credential.kind === 'custom'
      ? { kind: 'custom' as const, clientId: input.credential.clientId, clientSecret: input.credential.clientSecret.take() }
      : input.credential;
  const body = tokenRequestSchema.safeParse({
    environmentId: input.environmentId,
    credential,
    forceNew: input.forceNew ?? false,
  });
  if (!body.success) {
    throw new ApiClientError(0, {
      code: 'invalid_request',
      message: 'The token request is incomplete.',
      issues: body.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    });
  }
  const response = await apiRequest(
    `/api/oauth/${encodeURIComponent(providerId)}/token`,
    tokenResponseDtoSchema,
    { method: 'POST', body: body.data },
  );
  return withClock(response);
}

export function postFhirRequest(
  providerId: string,
  request: FhirProxyRequest,
  signal?: AbortSignal,
): Promise<FhirProxyResponse> {
  const body = fhirProxyRequestSchema.safeParse(request);
  if (!body.success) {
    return Promise.reject(
      new ApiClientError(0, {
        code: 'invalid_request',
        message: 'The FHIR request is incomplete.',
        issues: body.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      }),
    );
  }
  return apiRequest(`/api/fhir/${encodeURIComponent(providerId)}`, fhirProxyResponseSchema, {
    method: 'POST',
    body: body.data,
    signal,
  });
}
