import 'server-only';
import { HttpError } from '@/lib/http/errors';
import { readJsonObject } from '@/lib/http/json-object';
import { redactText } from '@/lib/http/redact';
import type { ResolvedFlow } from './flow';
import { mintFlowAssertion } from './client-authentication';
import { withDpopProof } from './dpop';
import { explainDpopRefusal, sendToAuthorizationServer, type TokenEndpointContext } from './token-endpoint';
import { authenticateClient } from './token-request';

const PAR_TIMEOUT_MS = 15_000;

export interface PushedAuthorization {
  /** The reference the browser carries to the authorization endpoint instead of the parameters (RFC 9126 §2.2). */
  requestUri: string;
  /** Absent when the server did not say (RFC 9126 §2.2 requires it; the conformance check says so). */
  expiresIn?: number;
  /** Epoch ms when the authorization server stops accepting `requestUri`. */
  expiresAt?: number;
}

/**
 * Pushes an authorization request (RFC 9126 §2): every authorization parameter, with the client authenticated as at
 * the token endpoint (§2: the same methods, a fresh assertion for private_key_jwt) and, for a DPoP flow, a proof
 * that binds the code to the session's key (RFC 9449 §10.1). Answers the `request_uri` the browser will carry.
 */
export async function pushAuthorizationRequest(ctx: TokenEndpointContext, flow: ResolvedFlow, parUrl: URL, params: URLSearchParams): Promise<PushedAuthorization> {
  const { grant, credential, provider } = flow;
  const assertion = grant.clientAuth === 'private_key_jwt' ? await mintFlowAssertion(flow) : undefined;
  // A JSON or empty-body recipe is the token endpoint's quirk; RFC 9126 §2.1 takes a form.
  const authentication = authenticateClient(grant.clientAuth === 'json' ? 'form' : grant.clientAuth, { ...credential, clientAssertion: assertion?.assertion });
  const form = new URLSearchParams(params);
  for (const [name, value] of Object.entries(authentication.params)) form.set(name, value);
  const secrets = [credential.clientSecret, ...(assertion ? [assertion.assertion] : [])].filter((s) => s.length > 0);
  const started = Date.now();
  const { result, proof, nonceAnswered, secrets: sentSecrets } = await sendToAuthorizationServer(
    ctx,
    flow,
    { method: 'POST', url: parUrl, headers: [['Accept', 'application/json'], ...authentication.headers, ['Content-Type', 'application/x-www-form-urlencoded']], body: form.toString() },
    { kind: 'par', secrets, timeoutMs: PAR_TIMEOUT_MS, allowedOrigin: parUrl.origin },
  );
  await ctx.vault.recordExchange(ctx.sid, withDpopProof(result.exchange, proof));
  const where = `${provider.name}'s pushed authorization request endpoint`;
  if (!result.ok) {
    throw new HttpError(result.failure.code === 'upstream_timeout' ? 504 : 502, result.failure.code, result.failure.message, { exchangeId: result.exchange.id });
  }
  const { response } = result;
  const body = readJsonObject(redactText(response.text, sentSecrets));
  if (response.status !== 201 && response.status !== 200) {
    const dpop = explainDpopRefusal(response, redactText(response.text, sentSecrets), where, nonceAnswered, proof !== undefined);
    const error = typeof body?.error === 'string' ? body.error : undefined;
    const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
    throw new HttpError(424, 'upstream_rejected', dpop?.message ?? `${where} refused the request (${response.status}${error ? ` ${error}` : ''}${description ? `: ${description}` : ''}).`, {
      hint:
        dpop?.hint ??
        (response.status === 401 || error === 'invalid_client'
          ? 'It authenticates the client as the token endpoint does (RFC 9126 §2): check the client id and its secret or key.'
          : 'The pushed parameters are checked as an authorization request would be: the redirect URI, the scopes and the PKCE challenge.'),
      exchangeId: result.exchange.id,
    });
  }
  const requestUri = body?.request_uri;
  const expiresIn = body?.expires_in;
  if (typeof requestUri !== 'string' || requestUri.length === 0) {
    throw new HttpError(502, 'invalid_token_response', `${where} answered ${response.status} without a request_uri (RFC 9126 §2.2).`, {
      hint: 'Its answer is in the timeline.',
      exchangeId: result.exchange.id,
    });
  }
  // Read leniently: a missing or odd expires_in is the conformance check's finding, not a reason to stop the sign-in.
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) return { requestUri };
  return { requestUri, expiresIn, expiresAt: started + expiresIn * 1000 };
}
