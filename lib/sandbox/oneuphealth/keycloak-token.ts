import 'server-only';
import { SignJWT } from 'jose';
import { getBaseUrl, type OneUpContext } from './context';
import {
  bulkDataScope,
  findKeycloakClient,
  keycloakDefaultScopes,
  secretsEqual,
  type KeycloakClient,
} from './clients';
import { findDuplicatedParameter, parseBasicClientCredentials, readFormBody } from './form';
import type { SigningKey } from '../shared/signing-key';
import { methodNotAllowed, noStoreJson, oauthError } from './responses';

/** The realm the 1up dev portal issues Provider Access and Payer-to-Payer clients in. */
export const realmName = 'dev-portal';
export const realmPath = `/auth/realms/${realmName}`;

/** Keycloak's default access-token lifespan (5 minutes); 1up's own value is unconfirmed. */
export const keycloakTokenLifetimeSeconds = 300;

/** The realm's issuer on this request's origin, `<base>/auth/realms/dev-portal`. */
export function getRealmIssuer(context: OneUpContext, request: Request): string {
  return `${getBaseUrl(context, request)}${realmPath}`;
}

// Keycloak's client-authentication failures all carry this description (ClientIdAndSecretAuthenticator and
// AuthenticationProcessor.handleClientAuthException).
export const badClientDescription = 'Invalid client or Invalid client credentials';

/** Who asked, for the `clientHost`/`clientAddress` claims Keycloak copies from the connection. */
function clientAddress(request: Request): string {
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded && /^[0-9a-fA-F.:]{2,45}$/.test(forwarded) ? forwarded : '127.0.0.1';
}

/** The granted scope string: requested optional scopes, then the realm's default scopes, as Keycloak lists them. */
function grantedScope(requested: readonly string[]): string {
  const optional = requested.filter((scope) => !(keycloakDefaultScopes as readonly string[]).includes(scope) && scope !== 'openid');
  return [...(requested.includes('openid') ? ['openid'] : []), ...optional, ...keycloakDefaultScopes].join(' ');
}

/**
 * Mints a Keycloak service-account access token: RS256 with the realm key's `kid`, and the claims Keycloak
 * puts in a client-credentials token (`typ: "Bearer"`, `azp`, `preferred_username: service-account-<client>`,
 * `clientId`, `clientHost`, `clientAddress`, default realm roles and the `account` audience).
 */
export async function mintKeycloakToken(
  key: SigningKey,
  client: KeycloakClient,
  options: { issuer: string; scope: string; nowMs: number; address: string },
): Promise<string> {
  const issuedAt = Math.floor(options.nowMs / 1000);
  return new SignJWT({
    exp: issuedAt + keycloakTokenLifetimeSeconds,
    iat: issuedAt,
    jti: crypto.randomUUID(),
    iss: options.issuer,
    aud: 'account',
    sub: client.serviceAccountId,
    typ: 'Bearer',
    azp: client.clientId,
    acr: '1',
    realm_access: { roles: ['offline_access', `default-roles-${realmName}`, 'uma_authorization'] },
    resource_access: { account: { roles: ['manage-account', 'manage-account-links', 'view-profile'] } },
    scope: options.scope,
    clientHost: options.address,
    email_verified: false,
    clientId: client.clientId,
    preferred_username: `service-account-${client.clientId.toLowerCase()}`,
    clientAddress: options.address,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .sign(key.privateKey);
}

type ClientAuthResult = { client: KeycloakClient } | { response: Response };

/**
 * Keycloak's `client-secret` authenticator: Basic header first, then `client_id`/`client_secret` form
 * parameters override it. The answers follow Keycloak: 400 for a missing client id, 401 `invalid_client` for an
 * unknown client, 401 `unauthorized_client` for a missing or wrong secret.
 */
function authenticateClient(request: Request, params: URLSearchParams): ClientAuthResult {
  const authorization = request.headers.get('authorization');
  const basic = parseBasicClientCredentials(authorization);
  if (authorization !== null && !basic && !params.has('client_id')) {
    return { response: new Response(null, { status: 401, headers: { 'WWW-Authenticate': `Basic realm="${realmName}"` } }) };
  }
  const clientId = params.get('client_id') ?? basic?.clientId;
  const clientSecret = params.get('client_secret') ?? basic?.clientSecret;
  if (clientId === undefined) return { response: oauthError(400, 'invalid_client', 'Missing client_id parameter') };
  const client = findKeycloakClient(clientId);
  if (!client) return { response: oauthError(401, 'invalid_client', badClientDescription) };
  if (clientSecret === undefined || !secretsEqual(clientSecret, client.clientSecret)) {
    return { response: oauthError(401, 'unauthorized_client', badClientDescription) };
  }
  return { client };
}

/** Scopes the client may ask for: its optional client scopes, the realm defaults, and `openid`. */
function isPermittedScope(client: KeycloakClient, scope: string): boolean {
  return scope === 'openid' || client.optionalScopes.includes(scope) || (keycloakDefaultScopes as readonly string[]).includes(scope);
}

/** Whether the request announced a body (curl -X GET -d …) even though none reached us. */
function declaresBody(request: Request): boolean {
  const length = Number(request.headers.get('content-length') ?? '0');
  return (Number.isFinite(length) && length > 0) || request.headers.has('transfer-encoding');
}

/**
 * A GET that announced a form body which the hosting server dropped before the sandbox saw it (Next.js route
 * handlers receive no body for GET). Keycloak would answer 405 too; this one says what happened.
 */
function droppedGetBody(): Response {
  const response = methodNotAllowed(['POST', 'OPTIONS']);
  return noStoreJson(
    {
      error: 'invalid_request',
      error_description:
        'The token endpoint takes POST. This GET announced a form body (curl -X GET -d …) but the server hosting the ' +
        'sandbox drops GET bodies; send the same form with POST (leave out -X GET).',
    },
    405,
    response.headers,
  );
}

/**
 * `POST /auth/realms/dev-portal/protocol/openid-connect/token`, client credentials only. Checks run in the
 * order of Keycloak's `TokenEndpoint`: grant type, client authentication, duplicated parameters, then scope.
 * A GET is read the same way when it carries a form body (the seed's `curl -X GET -d …`); a GET without one is
 * Keycloak's 405.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export async function handleKeycloakToken(context: OneUpContext, request: Request): Promise<Response> {
  if (request.method !== 'POST' && request.method !== 'GET') return methodNotAllowed(['POST', 'OPTIONS']);
  const body = await readFormBody(request);
  if (body.kind === 'none' && request.method === 'GET') {
    return declaresBody(request) ? droppedGetBody() : methodNotAllowed(['POST', 'OPTIONS']);
  }
  if (body.kind === 'too-large') return new Response(null, { status: 413 });
  const params = body.kind === 'form' ? body.params : new URLSearchParams();

  const grantType = params.get('grant_type');
  if (grantType === null) return oauthError(400, 'invalid_request', 'Missing form parameter: grant_type');
  if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type');

  const auth = authenticateClient(request, params);
  if ('response' in auth) return auth.response;
  if (findDuplicatedParameter(params) !== undefined) return oauthError(400, 'invalid_request', 'duplicated parameter');

  const scopeParam = params.get('scope') ?? '';
  const requested = scopeParam.split(' ').filter((scope) => scope.length > 0);
  if (requested.some((scope) => !isPermittedScope(auth.client, scope))) {
    return oauthError(400, 'invalid_scope', `Invalid scopes: ${scopeParam}`);
  }
  const scope = grantedScope(requested);
  const accessToken = await mintKeycloakToken(await context.getSigningKey(), auth.client, {
    issuer: getRealmIssuer(context, request),
    scope,
    nowMs: context.now(),
    address: clientAddress(request),
  });
  return noStoreJson({
    access_token: accessToken,
    expires_in: keycloakTokenLifetimeSeconds,
    refresh_expires_in: 0,
    token_type: 'Bearer',
    'not-before-policy': 0,
    scope,
  });
}

/** Whether a granted scope string carries the bulk-data client scope the FHIR gateway requires. */
export function hasBulkDataScope(scope: unknown): boolean {
  return typeof scope === 'string' && scope.split(' ').includes(bulkDataScope);
}
