import { OneTimeSecret } from './one-time-secret';
import { apiRequest } from './request';
import { getDeclaredResourceTypes } from './resource-type-hint';
import {
  authorizeRequestSchema,
  authorizeResponseSchema,
  fhirProxyRequestSchema,
  fhirProxyResponseSchema,
  providersResponseSchema,
  sessionDtoSchema,
  simulationsDtoSchema,
  simulationsRequestSchema,
  tokenRequestSchema,
  tokenResponseDtoSchema,
  type AuthorizeResponse,
  type FhirProxyRequest,
  type FhirProxyResponse,
  type ProvidersResponse,
  type SessionDto,
  type SimulatedFailure,
  type SimulationsDto,
  type TokenResponseDto,
} from '@/lib/contract/schemas';
import { z } from 'zod';
import { ApiClientError } from './api-client-error';
import type { AssertionFault } from '@/lib/contract/smart';

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

/** The page's view of a credential: a custom secret travels in a OneTimeSecret, never as a plain field. */
export type CredentialInput =
  | { kind: 'preset'; presetId: string }
  | { kind: 'custom'; clientId: string; clientSecret: OneTimeSecret };

/** The page's view of a token request (client credentials). */
export type TokenRequestInput = {
  environmentId: string;
  forceNew?: boolean;
  credential: CredentialInput;
  /** For providers that take either (Candid). */
  bodyFormat?: 'form' | 'json';
  /** private_key_jwt: send a deliberately broken assertion to see the rejection. */
  assertionFault?: AssertionFault;
  /** The newest exchange the page holds, so the answer carries only the timeline after it. */
  sessionAfter?: string;
};

/** The page's view of the start of an authorization-code run. */
export type AuthorizeInput = Pick<TokenRequestInput, 'environmentId' | 'credential'>;

/** Opens the box: from here on the secret lives only in the request body being built. */
function takeCredential(credential: CredentialInput) {
  return credential.kind === 'custom'
    ? { kind: 'custom' as const, clientId: credential.clientId, clientSecret: credential.clientSecret.take() }
    : credential;
}

function incomplete(what: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): ApiClientError {
  return new ApiClientError(0, {
    code: 'invalid_request',
    message: `The ${what} is incomplete.`,
    issues: issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  });
}

export async function postToken(providerId: string, input: TokenRequestInput): Promise<WithClock<TokenResponseDto>> {
  const body = tokenRequestSchema.safeParse({
    environmentId: input.environmentId,
    credential: takeCredential(input.credential),
    forceNew: input.forceNew ?? false,
    bodyFormat: input.bodyFormat,
    assertionFault: input.assertionFault,
    sessionAfter: input.sessionAfter,
  });
  if (!body.success) throw incomplete('token request', body.error.issues);
  const response = await apiRequest(
    `/api/oauth/${encodeURIComponent(providerId)}/token`,
    tokenResponseDtoSchema,
    { method: 'POST', body: body.data },
  );
  return withClock(response);
}

/**
 * Starts an authorization-code run: the BFF keeps state, PKCE verifier and the credential, and answers with the
 * provider's authorize URL for the browser to open. Only http(s) URLs are accepted, so a bad answer can never
 * become a `javascript:` navigation.
 */
export async function postAuthorize(providerId: string, input: AuthorizeInput): Promise<AuthorizeResponse> {
  const body = authorizeRequestSchema.safeParse({
    environmentId: input.environmentId,
    credential: takeCredential(input.credential),
  });
  if (!body.success) throw incomplete('authorization request', body.error.issues);
  const response = await apiRequest(
    `/api/oauth/${encodeURIComponent(providerId)}/authorize`,
    authorizeResponseSchema,
    { method: 'POST', body: body.data },
  );
  if (!isNavigableUrl(response.authorizeUrl)) {
    throw new ApiClientError(0, {
      code: 'invalid_response',
      message: 'The console server answered with an authorize URL the page will not open.',
      hint: 'Only absolute http(s) URLs are followed.',
    });
  }
  return response;
}

/** True for absolute http: and https: URLs. */
export function isNavigableUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Refreshes the session's token for the provider with its refresh token (RFC 6749 §6), on the server. A dead
 * refresh token answers `reauth_required` (409) and the BFF drops the tokens: authorize again, never retry.
 */
export async function postRefresh(providerId: string): Promise<WithClock<TokenResponseDto>> {
  const response = await apiRequest(`/api/oauth/${encodeURIComponent(providerId)}/refresh`, tokenResponseDtoSchema, {
    method: 'POST',
  });
  return withClock(response);
}

export function postFhirRequest(
  providerId: string,
  request: FhirProxyRequest,
  signal?: AbortSignal,
): Promise<FhirProxyResponse> {
  const body = fhirProxyRequestSchema.safeParse(request);
  if (!body.success) return Promise.reject(incomplete('FHIR request', body.error.issues));
  return apiRequest(`/api/fhir/${encodeURIComponent(providerId)}`, fhirProxyResponseSchema, {
    method: 'POST',
    body: body.data,
    signal,
  });
}

/**
 * The resource types a FHIR server declares in its CapabilityStatement (`GET [base]/metadata`), asked through the
 * FHIR proxy like any workbench request (the server attaches the session's token; the browser never sees it).
 * Null when there is nothing to read: an answer other than a 200 CapabilityStatement, or any failure, since the
 * hint this feeds is an extra and must not add an error of its own.
 * @see https://hl7.org/fhir/R4/http.html#capabilities
 */
export async function fetchDeclaredResourceTypes(
  providerId: string,
  target: { environmentId: string; presetId?: string },
  basePath: string,
  signal?: AbortSignal,
): Promise<string[] | null> {
  try {
    const response = await postFhirRequest(
      providerId,
      { ...target, method: 'GET', path: `${basePath}/metadata`, headers: { Accept: 'application/fhir+json' } },
      signal,
    );
    if (response.status !== 200 || response.bodyKind !== 'json') return null;
    return getDeclaredResourceTypes(response.json);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    return null;
  }
}

/** Dismisses the explained failure of the provider's last authorization callback. `DELETE /api/session/flow-errors/{providerId}`. */
export function deleteFlowError(providerId: string): Promise<{ ok: true }> {
  return apiRequest(`/api/session/flow-errors/${encodeURIComponent(providerId)}`, z.object({ ok: z.literal(true) }), { method: 'DELETE' });
}

/**
 * Replaces the failures the provider's built-in sandbox simulates for this session (an empty list: all off).
 * `PUT /api/session/simulations/{providerId}`, CSRF header included.
 */
export function putSimulations(providerId: string, failures: readonly SimulatedFailure[]): Promise<SimulationsDto> {
  const body = simulationsRequestSchema.safeParse({ failures });
  if (!body.success) return Promise.reject(incomplete('failure simulation', body.error.issues));
  return apiRequest(`/api/session/simulations/${encodeURIComponent(providerId)}`, simulationsDtoSchema, {
    method: 'PUT',
    body: body.data,
  });
}
