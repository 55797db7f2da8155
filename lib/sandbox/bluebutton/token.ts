import 'server-only';
import type { BlueButtonApp } from './apps';
import { authenticateClient } from './client-auth';
import type { BlueButtonContext } from './context';
import { readForm } from './form';
import { addMonths, formatGrantExpiration } from './grant-time';
import { randomOpaqueToken } from './opaque';
import { verifyS256 } from '../shared/pkce';
import { djangoJson, methodNotAllowed, oauthError, tokenResponse } from './responses';
import { parseScope } from './scopes';
import type { DataAccessGrant } from './store';

/**
 * `POST /v2/o/token/`: the authorization code and refresh token grants, with oauthlib's checks in oauthlib's
 * order and Blue Button's additions (`patient`, `access_grant_expiration`, the data-access grant).
 * @see ../shared/PROVIDERS.md "Token response"
 */

const expiredGrantBody = {
  status_code: 400,
  error: 'invalid_grant',
  error_description:
    'The authorization for accessing user data has expired. To refresh Medicare data, the end user must re-authenticate and consent to data sharing.',
};

interface Issue {
  app: BlueButtonApp;
  patientId: string;
  scopes: string[];
  family: string;
  grant: DataAccessGrant;
}

async function issueTokens(context: BlueButtonContext, { app, patientId, scopes, family, grant }: Issue): Promise<Response> {
  const accessToken = randomOpaqueToken();
  const refreshToken = randomOpaqueToken();
  const lifetime = context.accessTokenLifetimeSeconds;
  const common = { clientId: app.clientId, patientId, scopes, family };
  const now = context.now();
  await context.store.putTokens(
    { ...common, token: accessToken, refreshToken, expiresAt: now + lifetime * 1000 },
    { ...common, token: refreshToken, accessToken },
    grant,
    now,
  );
  return tokenResponse({
    access_token: accessToken,
    expires_in: lifetime,
    token_type: 'Bearer',
    scope: scopes.join(' '),
    refresh_token: refreshToken,
    patient: patientId,
    access_grant_expiration: formatGrantExpiration(grant.expiresAt),
  });
}

function duplicateParam(form: URLSearchParams): Response | undefined {
  const duplicate = ['client_id', 'grant_type', 'redirect_uri'].find((name) => form.getAll(name).length > 1);
  return duplicate ? oauthError('invalid_request', `Duplicate ${duplicate} parameter.`) : undefined;
}

async function exchangeCode(context: BlueButtonContext, request: Request, form: URLSearchParams): Promise<Response> {
  const code = form.get('code');
  if (code === null) return oauthError('invalid_request', 'Missing code parameter.');
  const duplicate = duplicateParam(form);
  if (duplicate) return duplicate;
  const app = await authenticateClient(request, form);
  if (!app) return oauthError('invalid_client');

  const record = await context.store.getCode(code);
  const now = context.now();
  if (!record || record.clientId !== app.clientId || record.expiresAt <= now) return oauthError('invalid_grant');
  // RFC 6749 §4.1.2: a code used twice SHOULD revoke every token already issued from it.
  const replayed = async () => {
    await context.store.revokeFamily(record.code, now);
    return oauthError('invalid_grant');
  };
  if (await context.store.isCodeUsed(record.code)) return replayed();
  const verifier = form.get('code_verifier');
  if (!verifier) return oauthError('invalid_request', 'Code verifier required.');
  if (!(await verifyS256(verifier, record.codeChallenge))) return oauthError('invalid_grant');
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) return oauthError('invalid_request', 'Missing redirect URI.');
  // RFC 6749 §4.1.3: identical to the authorize request's redirect_uri.
  if (redirectUri !== record.redirectUri) return oauthError('invalid_request', 'Mismatching redirect URI.');

  // Two exchanges racing on two instances both get here; one marks the code used, the other is a replay.
  if (!(await context.store.markCodeUsed(record.code))) return replayed();
  // Each consent starts (or renews) the beneficiary's 13-month data-access grant for this app.
  const grant = { clientId: app.clientId, patientId: record.patientId, expiresAt: addMonths(now, context.grantLifetimeMonths) };
  await Promise.all([context.store.putGrant(grant, now), context.store.addFamily(app.clientId, record.patientId, record.code, now)]);
  return issueTokens(context, { app, patientId: record.patientId, scopes: record.scopes, family: record.code, grant });
}

async function refresh(context: BlueButtonContext, request: Request, form: URLSearchParams): Promise<Response> {
  const token = form.get('refresh_token');
  if (!token) return oauthError('invalid_request', 'Missing refresh token parameter.');
  const app = await authenticateClient(request, form);
  if (!app) return oauthError('invalid_client');
  const record = await context.store.getRefreshToken(token);
  // A used (rotated) refresh token is gone from the store, so it lands here too.
  if (!record || record.clientId !== app.clientId) return oauthError('invalid_grant');
  const grant = await context.store.getGrant(app.clientId, record.patientId);
  if (!grant || grant.expiresAt <= context.now()) return djangoJson(expiredGrantBody, 400);

  let scopes = record.scopes;
  if (form.has('scope')) {
    // RFC 6749 §6: a refresh may narrow the scope, never widen it.
    const requested = parseScope(form.get('scope'));
    if (requested.some((scope) => !record.scopes.includes(scope))) return oauthError('invalid_scope');
    if (requested.length > 0) scopes = requested;
  }
  // Rotation: the old refresh token and its access token die with this refresh, which only one request can make.
  if (!(await context.store.revokeRefreshToken(token))) return oauthError('invalid_grant');
  return issueTokens(context, { app, patientId: record.patientId, scopes, family: record.family, grant });
}

/** Dispatches a token request by `grant_type`; anything else is `unsupported_grant_type`. */
export async function handleToken(context: BlueButtonContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST', 'OPTIONS']);
  const form = await readForm(request);
  switch (form.get('grant_type')) {
    case 'authorization_code':
      return exchangeCode(context, request, form);
    case 'refresh_token':
      return refresh(context, request, form);
    default:
      return oauthError('unsupported_grant_type');
  }
}
