import 'server-only';
import { z } from 'zod';
import type { SmartClient, TokenEndpointAuthMethod } from './clients';
import type { ConsoleHost } from '../host';
import { consoleJwksFetchUrl } from './console-jwks';
import { randomId, serverUrls, type SmartContext } from './context';
import { json, methodNotAllowed, oauthError } from './responses';
import { parseResourceScope, scopeProblem, splitScope } from './scopes';

/**
 * `POST /auth/register`: OAuth 2.0 Dynamic Client Registration (RFC 7591) for SMART clients. Registrations are kept
 * in the sandbox's state (./clients), so every console instance knows them.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 * @see https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html#registering-a-client-communicating-public-keys
 */

const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

const publicJwkSchema = z
  .looseObject({
    kty: z.enum(['RSA', 'EC']).describe('RSA for RS384, EC (P-384) for ES384'),
    kid: z.string().min(1).max(200).describe('Named by the client assertion header'),
    alg: z.enum(['RS384', 'ES384']).optional(),
  })
  .refine((key) => privateMembers.every((member) => !(member in key)), 'a key in jwks has private members; register public keys only');

const registrationSchema = z.object({
  client_name: z.string().min(1).max(200).optional(),
  token_endpoint_auth_method: z.enum(['private_key_jwt', 'client_secret_basic', 'none']).optional(),
  grant_types: z.array(z.enum(['authorization_code', 'client_credentials', 'refresh_token'])).min(1).max(3).optional(),
  // RFC 7591 §2: an empty list is how a backend client says it uses no authorization endpoint (oidc-provider wants it).
  response_types: z.array(z.literal('code')).max(1).optional(),
  redirect_uris: z.array(z.string().max(2048)).max(20).optional(),
  scope: z.string().max(4000).optional(),
  jwks_uri: z.string().max(2048).optional(),
  jwks: z.object({ keys: z.array(publicJwkSchema).min(1).max(10) }).optional(),
  dpop_bound_access_tokens: z.boolean().optional().describe('RFC 9449 §5.2: every token request must carry a DPoP proof'),
  require_pushed_authorization_requests: z.boolean().optional().describe('RFC 9126 §6: authorization requests must be pushed first'),
});
type Registration = z.infer<typeof registrationSchema>;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
const defaultUserScope = 'openid fhirUser launch/patient offline_access patient/*.rs';
const defaultSystemScope = 'system/*.rs';

function invalidMetadata(description: string): Response {
  return oauthError('invalid_client_metadata', description);
}

function invalidRedirectUri(description: string): Response {
  return oauthError('invalid_redirect_uri', description);
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The registration request is not valid.';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/** RFC 8252 §7.3 / RFC 9700 §2.1: https, or plain http on a loopback host; absolute, no fragment. */
function redirectUriProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `redirect_uri "${value}" is not an absolute URL.`;
  }
  if (url.hash || value.includes('#')) return `redirect_uri "${value}" has a fragment, which RFC 6749 §3.1.2 forbids.`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && loopbackHosts.has(url.hostname)) return undefined;
  return `redirect_uri "${value}" must be https, or http on a loopback host (127.0.0.1, localhost, [::1]).`;
}

/** RFC 7591 §2 leaves grant_types defaulting to authorization_code; a private_key_jwt client with no redirect_uris is a backend service. */
function defaultGrantTypes(body: Registration, method: TokenEndpointAuthMethod): string[] {
  if (method === 'private_key_jwt' && !body.redirect_uris?.length) return ['client_credentials'];
  return ['authorization_code'];
}

/** Checks the metadata as a whole and builds the client, or answers why it cannot be registered. */
function buildClient(body: Registration, ownOrigin: string, nowMs: number, consoleHost: ConsoleHost): SmartClient | Response {
  const method = body.token_endpoint_auth_method ?? 'client_secret_basic';
  const grantTypes = [...new Set(body.grant_types ?? defaultGrantTypes(body, method))];
  const backend = grantTypes.includes('client_credentials');
  const userFacing = grantTypes.includes('authorization_code');

  if (backend && method !== 'private_key_jwt') {
    return invalidMetadata(`client_credentials is for SMART Backend Services clients, which authenticate with private_key_jwt; token_endpoint_auth_method is ${method}.`);
  }
  if (grantTypes.includes('refresh_token') && !userFacing) return invalidMetadata('refresh_token is only issued with authorization_code; add it to grant_types.');
  if (body.response_types?.length && !userFacing) return invalidMetadata('response_types ["code"] needs the authorization_code grant.');

  const redirectUris = body.redirect_uris ?? [];
  if (userFacing && redirectUris.length === 0) return invalidRedirectUri('authorization_code needs at least one redirect_uri.');
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) return invalidRedirectUri(problem);
  }

  if (method === 'private_key_jwt') {
    if ((body.jwks === undefined) === (body.jwks_uri === undefined)) {
      return invalidMetadata('A private_key_jwt client registers exactly one of jwks_uri or jwks (RFC 7591 §2).');
    }
    if (body.jwks_uri !== undefined) {
      const accepted = consoleJwksFetchUrl(body.jwks_uri, consoleHost);
      if ('problem' in accepted) return invalidMetadata(accepted.problem);
    }
  } else if (body.jwks !== undefined || body.jwks_uri !== undefined) {
    return invalidMetadata(`jwks and jwks_uri are only for private_key_jwt clients; token_endpoint_auth_method is ${method}.`);
  }

  const scopes = splitScope(body.scope ?? (backend && !userFacing ? defaultSystemScope : defaultUserScope));
  if (scopes.length === 0) return invalidMetadata('scope is empty.');
  for (const scope of scopes) {
    const problem = scopeProblem(scope, [scope]);
    if (problem) return invalidMetadata(`scope: ${problem}`);
    const system = parseResourceScope(scope)?.context === 'system';
    if (system && !backend) return invalidMetadata(`scope "${scope}" is a system/ scope, which only a client_credentials (Backend Services) client can use.`);
    if (!system && !userFacing) return invalidMetadata(`scope "${scope}" needs the authorization_code grant; a Backend Services client registers system/ scopes only.`);
  }

  const clientId = `smart-${randomId().slice(0, 24)}`;
  return {
    clientId,
    clientName: body.client_name ?? clientId,
    authMethod: method,
    ...(method === 'client_secret_basic' ? { clientSecret: randomId() } : {}),
    grantTypes,
    redirectUris,
    scopes,
    ...(body.jwks ? { jwks: body.jwks } : {}),
    ...(body.jwks_uri ? { jwksUri: body.jwks_uri } : {}),
    dpopBoundAccessTokens: body.dpop_bound_access_tokens ?? false,
    requirePushedAuthorizationRequests: body.require_pushed_authorization_requests ?? false,
    issuedAt: Math.floor(nowMs / 1000),
  };
}

/** The RFC 7591 §3.2.1 answer: the registered metadata with the issued credentials. */
function registrationResponse(client: SmartClient): Record<string, unknown> {
  return {
    client_id: client.clientId,
    client_id_issued_at: client.issuedAt,
    ...(client.clientSecret ? { client_secret: client.clientSecret, client_secret_expires_at: 0 } : {}),
    client_name: client.clientName,
    token_endpoint_auth_method: client.authMethod,
    grant_types: client.grantTypes,
    ...(client.grantTypes.includes('authorization_code') ? { response_types: ['code'], redirect_uris: client.redirectUris } : {}),
    scope: client.scopes.join(' '),
    ...(client.jwksUri ? { jwks_uri: client.jwksUri } : {}),
    ...(client.jwks ? { jwks: client.jwks } : {}),
    dpop_bound_access_tokens: client.dpopBoundAccessTokens,
    require_pushed_authorization_requests: client.requirePushedAuthorizationRequests,
  };
}

const maxBodyBytes = 64 * 1024;

/** Answers a registration request: 201 with the client, or 400 with the metadata problem. */
export async function handleRegister(context: SmartContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return invalidMetadata('A registration request is a JSON object sent with Content-Type: application/json (RFC 7591 §3.1).');
  const text = await request.text();
  if (text.length > maxBodyBytes) return invalidMetadata(`The registration request is larger than ${maxBodyBytes} bytes.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return invalidMetadata('The registration request is not valid JSON.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return invalidMetadata('The registration request must be a JSON object.');
  const parsed = registrationSchema.safeParse(raw);
  if (!parsed.success) return invalidMetadata(describeIssue(parsed.error));
  const client = buildClient(parsed.data, serverUrls(context, request).origin, context.now(), context.consoleHost);
  if (client instanceof Response) return client;
  await context.clients.add(client);
  return json(registrationResponse(client), 201);
}
