import 'server-only';
import { JWT_BEARER_ASSERTION_TYPE } from '@/lib/contract/oauth';
import { verifyS256 } from '../shared/pkce';
import { authenticateClient } from './client-auth';
import type { SmartClient } from './clients';
import { randomId, serverUrls, type ServerUrls, type SmartContext } from './context';
import { checkEndpointProof, shortThumbprint } from './dpop';
import { json, methodNotAllowed, oauthError } from './responses';
import { parseResourceScope, scopeProblem, splitScope } from './scopes';
import type { Grant } from './store';
import { mintAccessToken, mintIdToken } from './tokens';

/**
 * `POST /auth/token`: SMART Backend Services' client_credentials, and the authorization_code and rotating
 * refresh_token grants of SMART App Launch. Every refusal is an RFC 6749 §5.2 body naming the exact problem.
 * @see https://hl7.org/fhir/smart-app-launch/backend-services.html
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#obtain-access-token
 */

/** SMART Backend Services: "an access token with a lifetime of no longer than five minutes" is recommended. */
export const backendTokenLifetimeSeconds = 300;
export const userTokenLifetimeSeconds = 3600;

/**
 * Reads the form body; a JSON (or any non-form) body is refused, since RFC 6749 §3.2 (and RFC 9126 §2.1 for pushed
 * requests) requires the form encoding.
 */
export async function readTokenForm(request: Request, endpoint = 'The token endpoint'): Promise<URLSearchParams | Response> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/x-www-form-urlencoded') {
    const got = type === '' ? 'no Content-Type' : type === 'application/json' ? 'a JSON body' : `Content-Type ${type}`;
    return oauthError('invalid_request', `${endpoint} takes application/x-www-form-urlencoded parameters (RFC 6749 §3.2); this request sent ${got}.`);
  }
  const form = new URLSearchParams(await request.text());
  // RFC 6749 §3.2: parameters must not be repeated.
  const repeated = [...new Set([...form.keys()])].find((name) => form.getAll(name).length > 1);
  if (repeated) return oauthError('invalid_request', `The parameter ${repeated} is sent more than once (RFC 6749 §3.2).`);
  return form;
}

function tokenResponse(body: Record<string, unknown>): Response {
  return json(Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)));
}

/** The thumbprint of the request's verified DPoP proof, if it carried one. */
interface TokenProof {
  jkt?: string;
}

/** RFC 9449 §5.2: a client registered with dpop_bound_access_tokens gets no token without a proof. */
function missingProof(client: SmartClient, proof: TokenProof): Response | undefined {
  if (!client.dpopBoundAccessTokens || proof.jkt) return undefined;
  return oauthError(
    'invalid_dpop_proof',
    'This client is registered with dpop_bound_access_tokens: every token request must carry a DPoP proof (RFC 9449 §5.2)',
  );
}

/** Why the proof's key is not the one a code or refresh token is bound to, or undefined when it is. */
function boundKeyProblem(boundJkt: string | undefined, proof: TokenProof, what: string): Response | undefined {
  if (!boundJkt || boundJkt === proof.jkt) return undefined;
  const got = proof.jkt ? `the proof's key has thumbprint ${shortThumbprint(proof.jkt)}` : 'this request carries no DPoP proof';
  return oauthError('invalid_dpop_proof', `${what} is bound to the DPoP key with thumbprint ${shortThumbprint(boundJkt)}, but ${got}.`);
}

function unauthorizedClient(client: SmartClient, grantType: string): Response {
  return oauthError('unauthorized_client', `The client "${client.clientId}" is not registered for the ${grantType} grant (its grant_types: ${client.grantTypes.join(', ')}).`);
}

/** grant_type=client_credentials with a client assertion (SMART Backend Services). */
async function clientCredentials(context: SmartContext, request: Request, form: URLSearchParams, urls: ServerUrls, proof: TokenProof): Promise<Response> {
  if (!form.get('client_assertion')) {
    return oauthError(
      'invalid_client',
      `SMART Backend Services: a client_credentials request must authenticate with client_assertion_type=${JWT_BEARER_ASSERTION_TYPE} and a client_assertion JWT; this request has no client_assertion.`,
    );
  }
  const auth = await authenticateClient(context, request, form, urls);
  if ('response' in auth) return auth.response;
  const { client } = auth;
  if (!client.grantTypes.includes('client_credentials')) return unauthorizedClient(client, 'client_credentials');
  const unproven = missingProof(client, proof);
  if (unproven) return unproven;
  const requested = splitScope(form.get('scope'));
  if (requested.length === 0) return oauthError('invalid_scope', 'SMART Backend Services requires a scope, e.g. system/Patient.rs or system/*.rs.');
  const notSystem = requested.filter((scope) => parseResourceScope(scope)?.context !== 'system');
  if (notSystem.length > 0) {
    return oauthError('invalid_scope', `Backend Services grants only system/ scopes; ${notSystem.map((s) => `"${s}"`).join(', ')} ${notSystem.length > 1 ? 'are' : 'is'} not one.`);
  }
  const problems = requested.map((scope) => scopeProblem(scope, client.scopes)).filter((p): p is string => p !== undefined);
  if (problems.length > 0) return oauthError('invalid_scope', problems.join(' '));

  const { token } = await mintAccessToken(await context.getSigningKey(), urls, context.now(), {
    clientId: client.clientId,
    scopes: requested,
    lifetimeSeconds: backendTokenLifetimeSeconds,
    subject: client.clientId,
    ...(proof.jkt ? { jkt: proof.jkt } : {}),
  });
  // SMART Backend Services' example answers token_type "bearer"; RFC 6749 §5.1 makes the value case-insensitive.
  return tokenResponse({ access_token: token, token_type: proof.jkt ? 'DPoP' : 'bearer', expires_in: backendTokenLifetimeSeconds, scope: requested.join(' ') });
}

/** The access token, and the refresh and id tokens the grant's scopes ask for, for one user grant. */
async function issueUserTokens(context: SmartContext, urls: ServerUrls, grant: Grant, family: string, jkt: string | undefined): Promise<Response> {
  const key = await context.getSigningKey();
  const now = context.now();
  const scopes = grant.scopes;
  const hasPatientScopes = scopes.some((scope) => parseResourceScope(scope)?.context === 'patient');
  const { token, jti } = await mintAccessToken(key, urls, now, {
    clientId: grant.clientId,
    scopes,
    lifetimeSeconds: userTokenLifetimeSeconds,
    subject: grant.username,
    ...(hasPatientScopes || scopes.includes('launch/patient') ? { patientId: grant.patientId } : {}),
    ...(jkt ? { jkt } : {}),
  });
  await context.store.recordAccessToken(jti, family, now + userTokenLifetimeSeconds * 1000, userTokenLifetimeSeconds * 1000);
  let refreshToken: string | undefined;
  if (scopes.includes('offline_access') || scopes.includes('online_access')) {
    refreshToken = randomId();
    const { clientId, patientId, username, nonce } = grant;
    await context.store.putRefreshToken({ clientId, scopes, patientId, username, ...(nonce ? { nonce } : {}), token: refreshToken, family, ...(jkt ? { jkt } : {}) });
  }
  const fhirUser = `${urls.fhirBase}/Patient/${grant.patientId}`;
  const idToken = scopes.includes('openid')
    ? await mintIdToken(key, urls, now, {
        clientId: grant.clientId,
        subject: grant.username,
        ...(scopes.includes('fhirUser') ? { fhirUser } : {}),
        ...(grant.nonce ? { nonce: grant.nonce } : {}),
      })
    : undefined;
  return tokenResponse({
    access_token: token,
    token_type: jkt ? 'DPoP' : 'Bearer',
    expires_in: userTokenLifetimeSeconds,
    scope: scopes.join(' '),
    refresh_token: refreshToken,
    id_token: idToken,
    patient: scopes.includes('launch/patient') ? grant.patientId : undefined,
  });
}

/** grant_type=authorization_code with PKCE (RFC 7636) and the client's registered authentication. */
async function exchangeCode(context: SmartContext, request: Request, form: URLSearchParams, urls: ServerUrls, proof: TokenProof): Promise<Response> {
  const auth = await authenticateClient(context, request, form, urls);
  if ('response' in auth) return auth.response;
  const { client } = auth;
  if (!client.grantTypes.includes('authorization_code')) return unauthorizedClient(client, 'authorization_code');
  const unproven = missingProof(client, proof);
  if (unproven) return unproven;
  const code = form.get('code');
  if (!code) return oauthError('invalid_request', 'The code parameter is missing.');
  const verifier = form.get('code_verifier');
  if (!verifier) return oauthError('invalid_request', 'code_verifier is missing: this server requires PKCE (RFC 7636) on every authorization code.');
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) return oauthError('invalid_request', 'redirect_uri is missing; it must be the one sent to the authorize endpoint (RFC 6749 §4.1.3).');

  const record = await context.store.getCode(code);
  // An expired code is as unknown as one never issued (it is kept a while longer only to recognise a replay).
  if (!record || record.expiresAt <= context.now()) return oauthError('invalid_grant', 'The authorization code is unknown or has expired (codes live 60 s).');
  if (record.clientId !== client.clientId) return oauthError('invalid_grant', `The authorization code was issued to another client, not "${client.clientId}".`);
  if (await context.store.codeUsed(code)) {
    // RFC 6749 §4.1.2: a code used twice should revoke every token already issued from it.
    await context.store.revokeFamily(record.code);
    return oauthError('invalid_grant', 'The authorization code was already used. Codes are single use; the tokens issued from it are now revoked (RFC 6749 §4.1.2).');
  }
  if (redirectUri !== record.redirectUri) {
    return oauthError('invalid_grant', `redirect_uri "${redirectUri}" is not the one the code was issued for ("${record.redirectUri}").`);
  }
  if (!(await verifyS256(verifier, record.codeChallenge))) {
    return oauthError('invalid_grant', 'The code_verifier does not match the code_challenge of the authorize request (PKCE S256: BASE64URL(SHA256(code_verifier))).');
  }
  // RFC 9449 §10: the authorize request's dpop_jkt names the only key that may redeem the code.
  const wrongKey = boundKeyProblem(record.dpopJkt, proof, 'The authorization code (dpop_jkt of the authorization request)');
  if (wrongKey) return wrongKey;
  // Claimed in one step across instances, so two parallel exchanges of one code cannot both succeed.
  if (!(await context.store.claimCode(code))) return oauthError('invalid_grant', 'The authorization code was already used.');
  return issueUserTokens(context, urls, record, record.code, proof.jkt);
}

/**
 * grant_type=refresh_token with rotation: each refresh returns a new refresh token and retires the old one. A
 * retired token presented again means it leaked, so the whole family is revoked.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.2.2
 */
async function refresh(context: SmartContext, request: Request, form: URLSearchParams, urls: ServerUrls, proof: TokenProof): Promise<Response> {
  const auth = await authenticateClient(context, request, form, urls);
  if ('response' in auth) return auth.response;
  const { client } = auth;
  if (!client.grantTypes.includes('refresh_token')) return unauthorizedClient(client, 'refresh_token');
  const unproven = missingProof(client, proof);
  if (unproven) return unproven;
  const token = form.get('refresh_token');
  if (!token) return oauthError('invalid_request', 'The refresh_token parameter is missing.');
  const record = await context.store.getRefreshToken(token);
  // A token written by a refresh that raced its family's revocation is revoked all the same.
  if (!record || (await context.store.isFamilyRevoked(record.family))) return oauthError('invalid_grant', 'The refresh token is unknown or has been revoked.');
  if (record.clientId !== client.clientId) return oauthError('invalid_grant', `The refresh token was issued to another client, not "${client.clientId}".`);
  const reused = async () => {
    await context.store.revokeFamily(record.family);
    return oauthError(
      'invalid_grant',
      'The refresh token was already used. Refresh tokens rotate: reuse means it may have leaked, so every token of this grant is now revoked (RFC 9700 §2.2.2). Sign in again.',
    );
  };
  if (await context.store.refreshTokenUsed(token)) return reused();
  // RFC 9449 §5: a refresh token issued with a proof is redeemed only with a proof from the same key.
  const wrongKey = boundKeyProblem(record.jkt, proof, 'The refresh token');
  if (wrongKey) return wrongKey;
  let scopes = record.scopes;
  if (form.has('scope')) {
    // RFC 6749 §6: a refresh may narrow the scope, never widen it.
    const requested = splitScope(form.get('scope'));
    const wider = requested.filter((scope) => !record.scopes.includes(scope));
    if (wider.length > 0) return oauthError('invalid_scope', `A refresh cannot widen the grant: ${wider.join(' ')} was not granted.`);
    if (requested.length > 0) scopes = requested;
  }
  // Claimed in one step across instances: of two refreshes racing with one token, the second is a reuse.
  if (!(await context.store.claimRefreshToken(token))) return reused();
  return issueUserTokens(context, urls, { ...record, scopes }, record.family, proof.jkt ?? record.jkt);
}

/** Dispatches a token request by `grant_type`. */
export async function handleToken(context: SmartContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  const form = await readTokenForm(request);
  if (form instanceof Response) return form;
  const urls = serverUrls(context, request);
  const proof = await checkEndpointProof(context, request, urls.token, true);
  if ('response' in proof) return proof.response;
  const response = await answerGrant(context, request, form, urls, proof);
  // RFC 9449 §8: a server that wants nonces may hand the next one out with any answer.
  if (proof.nonce) response.headers.set('DPoP-Nonce', proof.nonce);
  return response;
}

function answerGrant(context: SmartContext, request: Request, form: URLSearchParams, urls: ServerUrls, proof: TokenProof): Promise<Response> | Response {
  const grantType = form.get('grant_type');
  switch (grantType) {
    case 'client_credentials':
      return clientCredentials(context, request, form, urls, proof);
    case 'authorization_code':
      return exchangeCode(context, request, form, urls, proof);
    case 'refresh_token':
      return refresh(context, request, form, urls, proof);
    case null:
    case '':
      return oauthError('invalid_request', 'The grant_type parameter is missing.');
    default:
      return oauthError('unsupported_grant_type', `grant_type "${grantType}" is not supported here; use authorization_code, refresh_token or client_credentials.`);
  }
}
