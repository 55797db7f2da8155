import { z } from 'zod';
import { ApiClientError } from './api-client-error';
import type { OneTimeSecret } from './one-time-secret';
import { apiRequest } from './request';
import {
  clientKeyRequestSchema,
  clientKeyResponseSchema,
  clientKeysResponseSchema,
  customProviderInputSchema,
  customProviderResponseSchema,
  customProvidersResponseSchema,
  discoverRequestSchema,
  discoveryDtoSchema,
  registerClientRequestSchema,
  registerClientResponseSchema,
  type ClientKeysResponse,
  type CustomProviderDto,
  type CustomProviderInput,
  type DiscoveryDto,
  type RegisterClientResponse,
} from '@/lib/contract/smart';

/**
 * Fetchers for custom SMART/OAuth providers and client keys (issue #8). Every answer is zod-parsed by
 * `apiRequest`; every body is checked against the shared schema before it leaves.
 */

const okSchema = z.object({ ok: z.literal(true) });

function incomplete(what: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): ApiClientError {
  return new ApiClientError(0, {
    code: 'invalid_request',
    message: `The ${what} is incomplete.`,
    issues: issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  });
}

/** `POST /api/smart/discover`: the BFF reads both well-known documents of the URL. A refused URL is `ok:false`. */
export async function postDiscover(url: string): Promise<DiscoveryDto> {
  const body = discoverRequestSchema.safeParse({ url });
  if (!body.success) throw incomplete('discovery request', body.error.issues);
  return apiRequest('/api/smart/discover', discoveryDtoSchema, { method: 'POST', body: body.data });
}

export async function fetchCustomProviders(signal?: AbortSignal): Promise<CustomProviderDto[]> {
  return (await apiRequest('/api/smart/providers', customProvidersResponseSchema, { signal })).providers;
}

/** The form's view of a save: the secret travels in a OneTimeSecret so the mutation cache keeps an emptied box. */
export type CustomProviderSave = Omit<CustomProviderInput, 'clientSecret'> & { clientSecret?: OneTimeSecret };

/** Creates (no id) or updates a custom provider; on update an empty secret keeps the saved one. */
export async function saveCustomProvider(id: string | null, input: CustomProviderSave): Promise<CustomProviderDto> {
  const secret = input.clientSecret?.take() ?? '';
  const body = customProviderInputSchema.safeParse({ ...input, clientSecret: secret === '' ? undefined : secret });
  if (!body.success) throw incomplete('provider', body.error.issues);
  const path = id === null ? '/api/smart/providers' : `/api/smart/providers/${encodeURIComponent(id)}`;
  const response = await apiRequest(path, customProviderResponseSchema, { method: id === null ? 'POST' : 'PUT', body: body.data });
  return response.provider;
}

export async function deleteCustomProvider(id: string): Promise<{ ok: true }> {
  return apiRequest(`/api/smart/providers/${encodeURIComponent(id)}`, okSchema, { method: 'DELETE' });
}

export type RegisterClientInput = z.input<typeof registerClientRequestSchema>;

/** RFC 7591 registration of a private_key_jwt client with the console's JWKS URL at the discovered server. */
export async function postRegisterClient(input: RegisterClientInput): Promise<RegisterClientResponse> {
  const body = registerClientRequestSchema.safeParse(input);
  if (!body.success) throw incomplete('registration request', body.error.issues);
  return apiRequest('/api/smart/register', registerClientResponseSchema, { method: 'POST', body: body.data });
}

export async function fetchClientKeys(signal?: AbortSignal): Promise<ClientKeysResponse> {
  return apiRequest('/api/smart/keys', clientKeysResponseSchema, { signal });
}

export type ClientKeyAction =
  | { action: 'generate'; alg: 'RS384' | 'ES384' }
  /** The private key material travels in a OneTimeSecret: the mutation cache keeps only an emptied box. */
  | { action: 'import'; material: OneTimeSecret; alg?: 'RS384' | 'ES384' };

export async function postClientKey(input: ClientKeyAction) {
  const body = clientKeyRequestSchema.safeParse(
    input.action === 'import' ? { action: 'import', material: input.material.take(), alg: input.alg } : input,
  );
  if (!body.success) throw incomplete('key', body.error.issues);
  return apiRequest('/api/smart/keys', clientKeyResponseSchema, { method: 'POST', body: body.data });
}

export async function deleteClientKey(kid: string): Promise<{ ok: true }> {
  return apiRequest(`/api/smart/keys/${encodeURIComponent(kid)}`, okSchema, { method: 'DELETE' });
}
