import 'server-only';
import { SignJWT } from 'jose';
import { findAccountByCredentials, type CandidAccount } from './credentials';
import { getBaseUrl, type CandidContext } from './context';
import type { SigningKey } from '../shared/signing-key';
import { fernError, jsonResponse, methodNotAllowed, unauthorized, validationErrors, type RequestValidationError } from './responses';

/** The documented lifetime: "The bearer token expires 5 hours after it has been created." */
export const defaultTokenLifetimeSeconds = 18_000;

/**
 * The `aud` of the tokens. Real Candid tokens come from its Auth0 tenant; the API identifier there is not
 * published, so this is the production API's origin.
 */
export const tokenAudience = 'https://api.joincandidhealth.com';

const credentialFields = ['client_id', 'client_secret'] as const;

type ParsedCredentials = { clientId: string; clientSecret: string } | { response: Response };

function mediaTypeOf(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function readFields(get: (name: string) => unknown): ParsedCredentials {
  const errors: RequestValidationError[] = [];
  const values: string[] = [];
  for (const field of credentialFields) {
    const value = get(field);
    if (value === undefined || value === null) errors.push({ fieldName: field, humanReadableMessage: `${field} is required.` });
    else if (typeof value !== 'string') errors.push({ fieldName: field, humanReadableMessage: `${field} must be a string.` });
    else values.push(value);
  }
  const [clientId, clientSecret] = values;
  if (errors.length > 0 || clientId === undefined || clientSecret === undefined) return { response: validationErrors(errors) };
  return { clientId, clientSecret };
}

/**
 * Reads `client_id` and `client_secret` from a JSON or a form body, the two content types Candid documents.
 * Anything else is 415 `InvalidContentTypeError`; a body that cannot be read or lacks a field is 422
 * `HttpRequestValidationsError`. Extra fields (a `grant_type` an OAuth library adds) are ignored.
 * @see ../shared/seeds/candid-get-token.txt (relative to the repository root)
 */
export async function parseTokenRequestBody(request: Request): Promise<ParsedCredentials> {
  const mediaType = mediaTypeOf(request);
  if (mediaType === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return { response: validationErrors([{ fieldName: 'body', humanReadableMessage: 'The request body is not valid JSON.' }]) };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return {
        response: validationErrors([
          { fieldName: 'body', humanReadableMessage: 'The request body must be a JSON object with client_id and client_secret.' },
        ]),
      };
    }
    const record = body as Record<string, unknown>;
    return readFields((name) => (Object.hasOwn(record, name) ? record[name] : undefined));
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(await request.text());
    return readFields((name) => form.get(name) ?? undefined);
  }
  const got = mediaType === '' ? 'no Content-Type' : `Content-Type ${mediaType}`;
  return {
    response: fernError(415, 'InvalidContentTypeError', {
      message: `Expected Content-Type application/json or application/x-www-form-urlencoded; got ${got}.`,
    }),
  };
}

/**
 * Mints an Auth0-style client-credentials access token: RS256 with `kid`, `iss` (the sandbox's base URL; real
 * tokens are issued by https://candidhealth.auth0.com/), `sub` = `<client_id>@clients`, `aud`, `iat`, `exp`,
 * `gty: client-credentials`, `azp`, plus the organisation (`org_id`, Auth0's organisation claim) and the key's
 * `permissions` (Auth0 RBAC), and a random `jti` (RFC 7519 §4.1.7): RS256 signs deterministically, so without it
 * two callers minting in the same second got the same token. Candid's real claim set is unconfirmed.
 */
export async function mintAccessToken(
  key: SigningKey,
  account: CandidAccount,
  options: { issuer: string; nowMs: number; lifetimeSeconds: number },
): Promise<string> {
  const issuedAt = Math.floor(options.nowMs / 1000);
  return new SignJWT({
    iss: options.issuer,
    sub: `${account.clientId}@clients`,
    aud: tokenAudience,
    iat: issuedAt,
    exp: issuedAt + options.lifetimeSeconds,
    gty: 'client-credentials',
    azp: account.clientId,
    org_id: account.organizationId,
    permissions: account.permissions,
    jti: crypto.randomUUID(),
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .sign(key.privateKey);
}

/**
 * `POST /api/auth/v2/token`: client id and secret in, `{"access_token","expires_in","token_type":"Bearer"}` out.
 * Wrong credentials answer 401 `UnauthorizedError` (the docs' 401; the SDK maps UnauthorizedError to 403
 * elsewhere). Minting more than the limit per client answers 429 `TooManyRequestsError` with `Retry-After`.
 */
export async function handleTokenRequest(context: CandidContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  const parsed = await parseTokenRequestBody(request);
  if ('response' in parsed) return parsed.response;
  const account = await findAccountByCredentials(parsed.clientId, parsed.clientSecret);
  if (!account) return unauthorized(401, 'Invalid client credentials');

  const nowMs = context.now();
  const decision = await context.tokenLimiter.hit(account.clientId, nowMs);
  if (!decision.allowed) {
    return fernError(
      429,
      'TooManyRequestsError',
      { message: 'Too many token requests: reuse your token until it expires.' },
      { 'Retry-After': String(decision.retryAfterSeconds) },
    );
  }
  const accessToken = await mintAccessToken(await context.getSigningKey(), account, {
    issuer: `${getBaseUrl(context, request)}/`,
    nowMs,
    lifetimeSeconds: context.tokenLifetimeSeconds,
  });
  return jsonResponse(
    { access_token: accessToken, expires_in: context.tokenLifetimeSeconds, token_type: 'Bearer' },
    200,
    { Pragma: 'no-cache' },
  );
}
