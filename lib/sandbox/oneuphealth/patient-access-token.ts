import 'server-only';
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { getBaseUrl, type OneUpContext } from './context';
import { findPatientAccessApp, secretsEqual, type PatientAccessApp } from './clients';
import { parseBasicClientCredentials, readFormBody } from './form';
import {
  patientAccessTokenLifetimeSeconds,
  randomHex,
  refreshTokenLifetimeMs,
  type TokenGrant,
} from './patient-access-store';
import { methodNotAllowed, noStoreJson, oauthError } from './responses';
import { demoPlanDataset, getPatientId } from './synthetic-data';

/**
 * The demo plan's token endpoint, `POST /oauth2/token`: authorization code and refresh token, client
 * credentials in the form (or HTTP Basic), opaque tokens valid 7199 seconds, `{"error","error_description"}`
 * errors (RFC 6749 §5.2).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */

function authenticateApp(request: Request, form: URLSearchParams): { app: PatientAccessApp } | { response: Response } {
  const basic = parseBasicClientCredentials(request.headers.get('authorization'));
  const clientId = form.get('client_id') ?? basic?.clientId;
  const clientSecret = form.get('client_secret') ?? basic?.clientSecret;
  if (!clientId || clientSecret === undefined) return { response: oauthError(401, 'invalid_client', 'Client authentication is required') };
  const app = findPatientAccessApp(clientId);
  // Compare against a dummy for an unknown client so both failures take the same time.
  const secretMatches = secretsEqual(clientSecret, app?.clientSecret ?? '\u0000unknown-client');
  if (!app || !secretMatches) return { response: oauthError(401, 'invalid_client', 'Invalid client credentials') };
  return { app };
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

// RFC 7636 §4.1: 43–128 unreserved characters.
const verifierPattern = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Issues an access token (and, for a code, a refresh token) for a grant; the body of a token response. */
async function issueTokens(
  context: OneUpContext,
  request: Request,
  grant: Omit<TokenGrant, 'expiresAtMs'>,
  refreshToken: string,
  nonce: string | undefined,
  withIdToken: boolean,
): Promise<Record<string, unknown>> {
  const now = context.now();
  const accessToken = randomHex();
  await context.patientAccess.saveAccessToken(accessToken, { ...grant, expiresAtMs: now + patientAccessTokenLifetimeSeconds * 1000 });
  const patientId = getPatientId(demoPlanDataset(context.demoPlanMembers), grant.memberIndex);
  const body: Record<string, unknown> = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: patientAccessTokenLifetimeSeconds,
    refresh_token: refreshToken,
    scope: grant.scopes.join(' '),
  };
  if (grant.scopes.includes('launch/patient')) body.patient = patientId;
  if (withIdToken && grant.scopes.includes('openid')) {
    const base = getBaseUrl(context, request);
    const key = await context.getSigningKey();
    const issuedAt = Math.floor(now / 1000);
    body.id_token = await new SignJWT({ fhirUser: `${base}/r4/Patient/${patientId}`, ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
      .setIssuer(base)
      .setSubject(patientId)
      .setAudience(grant.clientId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + patientAccessTokenLifetimeSeconds)
      // RFC 7519 §4.1.7: RS256 is deterministic, so two sign-ins of one member in the same second would get one token.
      .setJti(crypto.randomUUID())
      .sign(key.privateKey);
  }
  return body;
}

async function exchangeCode(context: OneUpContext, request: Request, form: URLSearchParams, app: PatientAccessApp): Promise<Response> {
  const codeValue = form.get('code');
  if (!codeValue) return oauthError(400, 'invalid_request', 'Missing parameter: code');
  const code = await context.patientAccess.getCode(codeValue);
  if (!code || code.clientId !== app.clientId) return oauthError(400, 'invalid_grant', 'Invalid authorization code');
  if (!(await context.patientAccess.redeemCode(code.code))) {
    // RFC 6749 §4.1.2: a replayed code is refused and what it produced is revoked.
    await context.patientAccess.revokeCode(code.code);
    return oauthError(400, 'invalid_grant', 'Authorization code has already been used');
  }
  if (context.now() > code.expiresAtMs) return oauthError(400, 'invalid_grant', 'Authorization code has expired');
  // RFC 6749 §4.1.3: the redirect_uri must be the one of the authorization request.
  if (form.get('redirect_uri') !== code.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
  const verifier = form.get('code_verifier');
  if (code.codeChallenge !== undefined) {
    if (verifier === null) return oauthError(400, 'invalid_grant', 'Missing code_verifier');
    if (!verifierPattern.test(verifier) || s256(verifier) !== code.codeChallenge) return oauthError(400, 'invalid_grant', 'Invalid code_verifier');
  } else if (verifier !== null) {
    // RFC 9700 §2.1.1: a code_verifier without a code_challenge in the authorization request is refused.
    return oauthError(400, 'invalid_grant', 'code_verifier sent but no code_challenge was in the authorization request');
  }
  const grant = { clientId: app.clientId, memberIndex: code.memberIndex, scopes: code.scopes, code: code.code };
  const refreshToken = randomHex();
  await context.patientAccess.saveRefreshToken(refreshToken, { ...grant, expiresAtMs: context.now() + refreshTokenLifetimeMs });
  return noStoreJson(await issueTokens(context, request, grant, refreshToken, code.nonce, true));
}

async function refresh(context: OneUpContext, request: Request, form: URLSearchParams, app: PatientAccessApp): Promise<Response> {
  const refreshToken = form.get('refresh_token');
  if (!refreshToken) return oauthError(400, 'invalid_request', 'Missing parameter: refresh_token');
  const grant = await context.patientAccess.getRefreshToken(refreshToken);
  if (!grant || grant.clientId !== app.clientId || context.now() > grant.expiresAtMs) {
    return oauthError(400, 'invalid_grant', 'Invalid refresh token');
  }
  let scopes = grant.scopes;
  const requested = form.get('scope');
  if (requested !== null) {
    // RFC 6749 §6: a refresh may narrow the scope, never widen it.
    const narrowed = requested.split(' ').filter((scope) => scope.length > 0);
    if (narrowed.some((scope) => !grant.scopes.includes(scope))) return oauthError(400, 'invalid_scope', 'The requested scope exceeds the original grant');
    scopes = narrowed;
  }
  // Not rotating: the same refresh token comes back and stays valid.
  return noStoreJson(await issueTokens(context, request, { ...grant, scopes }, refreshToken, undefined, false));
}

/** `POST /oauth2/token`. */
export async function handlePatientAccessToken(context: OneUpContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  const body = await readFormBody(request);
  if (body.kind === 'too-large') return new Response(null, { status: 413 });
  const form = body.kind === 'form' ? body.params : new URLSearchParams();
  const auth = authenticateApp(request, form);
  if ('response' in auth) return auth.response;
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'Missing parameter: grant_type');
  if (grantType === 'authorization_code') return exchangeCode(context, request, form, auth.app);
  if (grantType === 'refresh_token') return refresh(context, request, form, auth.app);
  return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}`);
}

/** The live grant behind a Patient Access bearer token, or why there is none. */
export async function lookupAccessToken(context: OneUpContext, token: string): Promise<{ grant: TokenGrant } | { problem: 'invalid' | 'expired' }> {
  const grant = await context.patientAccess.getAccessToken(token);
  if (!grant) return { problem: 'invalid' };
  if (context.now() >= grant.expiresAtMs) return { problem: 'expired' };
  return { grant };
}
