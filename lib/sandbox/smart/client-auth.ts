import 'server-only';
import { decodeJwtParts } from '@/lib/contract/jwt';
import { verifyClientAssertion } from './assertion-verifier';
import { parseBasicCredentials } from '../shared/basic-auth';
import { secretsEqual } from '../shared/credentials';
import type { SmartClient, TokenEndpointAuthMethod } from './clients';
import { findClient, type ServerUrls, type SmartContext } from './context';
import { oauthError } from './responses';

/**
 * Client authentication at the token and introspection endpoints, one method per request (RFC 6749 §2.3):
 * `client_secret_basic`, `private_key_jwt` (RFC 7523 as profiled by SMART) or `none` (a public client naming
 * itself with `client_id`). The method used must be the one the client registered.
 */

export type ClientAuthentication = { client: SmartClient; method: TokenEndpointAuthMethod } | { response: Response };

function invalidClient(description: string, basicChallenge = false): { response: Response } {
  // RFC 6749 §5.2: a client that tried Basic gets a Basic challenge with its 401.
  const headers: Record<string, string> = basicChallenge ? { 'WWW-Authenticate': 'Basic realm="SMART sandbox"' } : {};
  return { response: oauthError('invalid_client', description, 401, headers) };
}

function wrongMethod(client: SmartClient, used: TokenEndpointAuthMethod): { response: Response } {
  return invalidClient(`The client "${client.clientId}" is registered for ${client.authMethod}, but this request authenticated with ${used}.`, used === 'client_secret_basic');
}

/** Authenticates the client of a token or introspection request, or answers why not. */
export async function authenticateClient(
  context: SmartContext,
  request: Request,
  form: URLSearchParams,
  urls: ServerUrls,
): Promise<ClientAuthentication> {
  const authorization = request.headers.get('authorization');
  const basic = parseBasicCredentials(authorization);
  if (authorization !== null && !basic) {
    return invalidClient('The Authorization header is not valid HTTP Basic ("Basic " and base64 of client_id:client_secret).', true);
  }
  const assertion = form.get('client_assertion');
  const assertionType = form.get('client_assertion_type');
  const usesAssertion = assertion !== null || assertionType !== null;
  const used = [basic !== undefined, usesAssertion, form.has('client_secret')].filter(Boolean).length;
  if (used > 1) {
    return { response: oauthError('invalid_request', 'The request uses more than one client authentication method; RFC 6749 §2.3 allows exactly one.') };
  }
  if (form.has('client_secret')) {
    return invalidClient('This server does not take client_secret in the form body (client_secret_post); send it with HTTP Basic (client_secret_basic).');
  }
  const formClientId = form.get('client_id');

  if (basic) {
    if (formClientId !== null && formClientId !== basic.clientId) {
      return { response: oauthError('invalid_request', `client_id "${formClientId}" in the body differs from "${basic.clientId}" in the Authorization header.`) };
    }
    const client = await findClient(context, basic.clientId);
    if (!client) return invalidClient(`No client is registered with client_id "${basic.clientId}".`, true);
    if (client.authMethod !== 'client_secret_basic') return wrongMethod(client, 'client_secret_basic');
    if (!(await secretsEqual(basic.clientSecret, client.clientSecret ?? ''))) {
      return invalidClient(`The client secret is wrong for client "${client.clientId}".`, true);
    }
    return { client, method: 'client_secret_basic' };
  }

  if (usesAssertion) return authenticateAssertion(context, assertion, assertionType, formClientId, urls);

  if (formClientId) {
    const client = await findClient(context, formClientId);
    if (!client) return invalidClient(`No client is registered with client_id "${formClientId}".`);
    if (client.authMethod !== 'none') {
      return invalidClient(`The client "${client.clientId}" is confidential (registered for ${client.authMethod}) and sent no credentials.`);
    }
    return { client, method: 'none' };
  }
  return invalidClient('The request carries no client authentication: send HTTP Basic, a client assertion (private_key_jwt), or client_id for a public client.');
}

async function authenticateAssertion(
  context: SmartContext,
  assertion: string | null,
  assertionType: string | null,
  formClientId: string | null,
  urls: ServerUrls,
): Promise<ClientAuthentication> {
  if (!assertion) return invalidClient('client_assertion_type was sent without a client_assertion.');
  const decoded = decodeJwtParts(assertion);
  if (!decoded) return invalidClient('The client_assertion is not a signed JWT (three base64url parts with a JSON header and claims).');
  const iss = typeof decoded.claims.iss === 'string' ? decoded.claims.iss : undefined;
  if (!iss) return invalidClient('The client assertion has no "iss" claim, so it names no client; iss and sub must both be the client_id.');
  if (formClientId !== null && formClientId !== iss) {
    return invalidClient(`client_id "${formClientId}" differs from the assertion's iss "${iss}".`);
  }
  const client = await findClient(context, iss);
  if (!client) return invalidClient(`No client is registered with client_id "${iss}" (the assertion's iss); register it at ${urls.register} first.`);
  if (client.authMethod !== 'private_key_jwt') return wrongMethod(client, 'private_key_jwt');
  const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
  const keys = await context.jwksCache.keysFor(client, kid, context.now());
  if ('problem' in keys) return invalidClient(keys.problem);
  const verification = await verifyClientAssertion(assertion, {
    expectedAudience: urls.token,
    clientId: client.clientId,
    jwks: keys.jwks,
    seenJtis: context.jtis,
    now: new Date(context.now()),
    clientAssertionType: assertionType ?? '(missing)',
  });
  if (!verification.ok) {
    return invalidClient(`The client assertion was refused. ${verification.reasons.map((reason) => reason.message).join(' ')}`);
  }
  return { client, method: 'private_key_jwt' };
}
