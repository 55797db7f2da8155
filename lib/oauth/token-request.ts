import 'server-only';
import type { TokenDeviation } from '@/lib/contract/schemas';
import type { GrantRecipe, KnownDeviation } from '@/lib/providers/schema';
import { JWT_BEARER_ASSERTION_TYPE } from '@/lib/contract/oauth';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** private_key_jwt: the assertion minted for this one request (RFC 7523 §2.2). */
  clientAssertion?: string;
}

/**
 * How the client authenticates to the authorization server, as the provider's recipe says (RFC 6749 §2.3.1; RFC 7523
 * §2.2 for private_key_jwt): an Authorization header, or parameters for the request body. The same at the token
 * and the introspection endpoint (RFC 7662 §2.1).
 */
export function authenticateClient(
  clientAuth: GrantRecipe['clientAuth'],
  credentials: ClientCredentials,
): { headers: [string, string][]; params: Record<string, string> } {
  switch (clientAuth) {
    case 'basic':
      // As the BCDA seed and `curl --user` do: base64 of the raw "id:secret".
      return { headers: [['Authorization', `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`]], params: {} };
    case 'private_key_jwt':
      // SMART Backend Services sends no client_id: the assertion's iss and sub name the client.
      if (!credentials.clientAssertion) throw new TypeError('private_key_jwt needs a client assertion minted for this request');
      return { headers: [], params: { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: credentials.clientAssertion } };
    case 'none':
      return { headers: [], params: { client_id: credentials.clientId } };
    default:
      return { headers: [], params: { client_id: credentials.clientId, client_secret: credentials.clientSecret } };
  }
}

export interface TokenHttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: [string, string][];
  body?: string;
}

export type TokenBodyFormat = 'form' | 'json';

/**
 * Builds a token request exactly as the provider's recipe says, quirks included: BCDA wants Basic credentials
 * and an empty POST body, Candid a JSON body, others a form (RFC 6749 §4.1.3, §4.4.2, §6).
 * `grantParams` are the grant's own parameters (code, redirect_uri, refresh_token …); the recipe's
 * `extraParams` and scopes apply to client credentials only.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function buildTokenRequest(
  recipe: GrantRecipe,
  tokenUrl: URL,
  credentials: ClientCredentials,
  grantParams: Record<string, string> = {},
  bodyFormat?: TokenBodyFormat,
): TokenHttpRequest {
  const headers: [string, string][] = Object.entries(recipe.headers);
  const isClientCredentials = grantParams.grant_type === undefined;
  const params: Record<string, string> = isClientCredentials ? { ...recipe.extraParams } : { ...grantParams };
  if (isClientCredentials && recipe.scopes.length > 0) params.scope = recipe.scopes.join(' ');

  const authentication = authenticateClient(recipe.clientAuth, credentials);
  headers.push(...authentication.headers);
  Object.assign(params, authentication.params);

  const format = bodyFormat ?? (recipe.body === 'empty' && !isClientCredentials ? 'form' : recipe.body);
  let body: string | undefined;
  if (format === 'form') {
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    body = new URLSearchParams(params).toString();
  } else if (format === 'json') {
    headers.push(['Content-Type', 'application/json']);
    body = JSON.stringify(params);
  } else if (recipe.httpMethod === 'POST') {
    body = '';
  }
  return { method: recipe.httpMethod, url: new URL(tokenUrl), headers, body };
}

/** Deviations of the request itself from RFC 6749, known from the recipe before anything is sent. */
export function recipeDeviations(recipe: GrantRecipe, known: readonly KnownDeviation[], bodyFormat?: TokenBodyFormat): TokenDeviation[] {
  const knownCodes = new Set(known.map((d) => d.code));
  const deviations: TokenDeviation[] = [];
  const add = (code: string, field: string, severity: TokenDeviation['severity'], message: string) =>
    deviations.push({ code, field, severity, message, known: knownCodes.has(code) });
  if (recipe.grantType === 'client_credentials' && recipe.extraParams.grant_type !== 'client_credentials') {
    add('no_grant_type', 'grant_type', 'info', 'The request carries no grant_type=client_credentials (RFC 6749 §4.4.2); this provider takes the credentials alone.');
  }
  if ((bodyFormat ?? recipe.body) === 'json') {
    add('json_token_request', 'Content-Type', 'info', 'The token request is JSON; RFC 6749 §4.4.2 uses application/x-www-form-urlencoded.');
  }
  if (recipe.httpMethod === 'GET') {
    add('token_request_get', 'method', 'warning', 'The token request is a GET; RFC 6749 §3.2 requires POST.');
  }
  return deviations;
}
