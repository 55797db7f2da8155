import type { TokenDeviation } from '@/lib/api-client/schemas';
import type { GrantRecipe, KnownDeviation } from '@/lib/providers/schema';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenHttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: [string, string][];
  body?: string;
}

/**
 * Builds the client-credentials token request exactly as the provider's recipe says (RFC 6749 §4.4), quirks
 * included: BCDA wants Basic credentials and an empty POST body, others a form or JSON body.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 */
export function buildClientCredentialsRequest(
  recipe: GrantRecipe,
  tokenUrl: URL,
  credentials: ClientCredentials,
): TokenHttpRequest {
  const headers: [string, string][] = Object.entries(recipe.headers);
  const params: Record<string, string> = { ...recipe.extraParams };
  if (recipe.scopes.length > 0) params.scope = recipe.scopes.join(' ');

  if (recipe.clientAuth === 'basic') {
    // As the BCDA seed and `curl --user` do: base64 of the raw "id:secret".
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    headers.push(['Authorization', `Basic ${basic}`]);
  } else {
    params.client_id = credentials.clientId;
    params.client_secret = credentials.clientSecret;
  }

  const url = new URL(tokenUrl);
  let body: string | undefined;
  if (recipe.body === 'form') {
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    body = new URLSearchParams(params).toString();
  } else if (recipe.body === 'json') {
    headers.push(['Content-Type', 'application/json']);
    body = JSON.stringify(params);
  } else if (recipe.httpMethod === 'POST') {
    body = '';
  }
  return { method: recipe.httpMethod, url, headers, body };
}

/** Deviations of the request itself from RFC 6749, known from the recipe before anything is sent. */
export function recipeDeviations(recipe: GrantRecipe, known: readonly KnownDeviation[]): TokenDeviation[] {
  const knownCodes = new Set(known.map((d) => d.code));
  const deviations: TokenDeviation[] = [];
  if (recipe.grantType === 'client_credentials' && recipe.extraParams.grant_type !== 'client_credentials') {
    deviations.push({
      code: 'no_grant_type',
      field: 'grant_type',
      severity: 'info',
      message: 'The request carries no grant_type=client_credentials (RFC 6749 §4.4.2); this provider takes the credentials alone.',
      known: knownCodes.has('no_grant_type'),
    });
  }
  if (recipe.httpMethod === 'GET') {
    deviations.push({
      code: 'token_request_get',
      field: 'method',
      severity: 'warning',
      message: 'The token request is a GET; RFC 6749 §3.2 requires POST.',
      known: knownCodes.has('token_request_get'),
    });
  }
  return deviations;
}
