import 'server-only';
import { readSimulatedFailures } from '../shared/simulation';
import { checkAuthorizationRequest } from './authorize';
import { authenticateClient } from './client-auth';
import { randomId, serverUrls, type SmartContext } from './context';
import { checkEndpointProof, shortThumbprint } from './dpop';
import { json, methodNotAllowed, oauthError } from './responses';
import type { PushedAuthorizationRequest } from './store';
import { readTokenForm } from './token';

/**
 * `POST /auth/par`: pushed authorization requests (RFC 9126). The client authenticates as at the token endpoint,
 * the parameters are checked as the authorize endpoint checks them, and the answer is a single-use `request_uri`
 * that the browser then takes to the authorize endpoint. A DPoP proof sent along binds the code to its key
 * (`dpop_jkt`, RFC 9449 §10.1).
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2
 */

/** RFC 9126 §2.2: a short lifetime; the browser goes straight to the authorize endpoint. */
export const pushedRequestLifetimeSeconds = 60;
const requestUriPrefix = 'urn:ietf:params:oauth:request_uri:';

/** Answers a push: 201 with `request_uri` and `expires_in`, or the JSON error the authorize endpoint would redirect with. */
export async function handlePushedAuthorization(context: SmartContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  const form = await readTokenForm(request, 'The pushed authorization request endpoint');
  if (form instanceof Response) return form;
  const urls = serverUrls(context, request);
  const auth = await authenticateClient(context, request, form, urls);
  if ('response' in auth) return auth.response;
  const { client } = auth;
  if (form.has('request_uri')) {
    return oauthError('invalid_request', 'request_uri cannot be pushed: a pushed authorization request carries the parameters themselves (RFC 9126 §2.1).');
  }
  if (form.has('request')) return oauthError('invalid_request', 'Request objects (the request parameter, RFC 9101) are not supported here; push the parameters themselves.');
  const formClientId = form.get('client_id');
  if (formClientId !== null && formClientId !== client.clientId) {
    return oauthError('invalid_request', `client_id "${formClientId}" is not the authenticated client "${client.clientId}" (RFC 9126 §2.1).`);
  }

  const proof = await checkEndpointProof(context, request, urls.par, false);
  if ('response' in proof) return proof.response;

  const params = new URLSearchParams(form);
  params.set('client_id', client.clientId);
  const checked = await checkAuthorizationRequest(context, params, urls, { pushed: true });
  // RFC 9126 §2.3: the authorize endpoint's errors, as a JSON 400 instead of a redirect.
  if ('refusal' in checked) return oauthError(checked.refusal.error, checked.refusal.description);

  if (checked.dpopJkt && proof.jkt && checked.dpopJkt !== proof.jkt) {
    return oauthError(
      'invalid_dpop_proof',
      `dpop_jkt ${shortThumbprint(checked.dpopJkt)} is not the thumbprint of the DPoP proof's key (${shortThumbprint(proof.jkt)}); RFC 9449 §10.1 requires them to match.`,
    );
  }
  const dpopJkt = checked.dpopJkt ?? proof.jkt;
  const simulatedExpiry = readSimulatedFailures(request).has('par_expired_request_uri');
  const now = context.now();
  const record: PushedAuthorizationRequest = {
    requestUri: `${requestUriPrefix}${randomId()}`,
    clientId: client.clientId,
    redirectUri: checked.redirectUri,
    state: checked.state,
    scopes: checked.scopes,
    codeChallenge: checked.codeChallenge,
    ...(checked.nonce ? { nonce: checked.nonce } : {}),
    ...(dpopJkt ? { dpopJkt } : {}),
    lifetimeSeconds: pushedRequestLifetimeSeconds,
    expiresAt: simulatedExpiry ? now : now + pushedRequestLifetimeSeconds * 1000,
    simulatedExpiry,
  };
  // Public clients can push without a secret: a pushed request is forgotten 10 minutes after it expires (the state's
  // lifetime), which bounds how many can pile up.
  await context.store.putPushed(record);
  return json({ request_uri: record.requestUri, expires_in: pushedRequestLifetimeSeconds }, 201, proof.nonce ? { 'DPoP-Nonce': proof.nonce } : {});
}
