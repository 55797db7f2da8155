import 'server-only';
import type { ClientAssertionDto } from '@/lib/contract/smart';
import { HttpError } from '@/lib/http/errors';
import type { AssertionFault } from '@/lib/contract/smart';
import { mintFaultyAssertion } from '@/lib/smart/assertion-faults';
import { mintClientAssertion, type MintedClientAssertion } from '@/lib/smart/client-assertion';
import type { ResolvedFlow } from './flow';
import { buildTokenRequest, type TokenBodyFormat, type TokenHttpRequest } from './token-request';

export interface PreparedTokenRequest {
  request: TokenHttpRequest;
  /** Everything in the request that must not reach the timeline or a log: the secret, the assertion. */
  secrets: string[];
  /** The assertion sent, decoded, for the page. */
  clientAssertion?: ClientAssertionDto;
}

/**
 * A token request of the flow with the client authenticated as its recipe says; for private_key_jwt a fresh
 * assertion is minted for this one request (new `jti`, `aud` = the token URL, `exp` five minutes ahead).
 */
export async function prepareTokenRequest(
  flow: ResolvedFlow,
  grantParams: Record<string, string> = {},
  bodyFormat?: TokenBodyFormat,
  /** A deliberately broken assertion instead (see `assertion-faults`); `previousJti` for a replay. */
  fault?: { assertionFault: AssertionFault; previousJti?: string },
): Promise<PreparedTokenRequest> {
  const { credential, grant, env } = flow;
  if (grant.clientAuth !== 'private_key_jwt') {
    const request = buildTokenRequest(grant, env.tokenUrl, credential, grantParams, bodyFormat);
    return { request, secrets: [credential.clientSecret] };
  }
  const minted = await mintFlowAssertion(flow, fault);
  const request = buildTokenRequest(grant, env.tokenUrl, { ...credential, clientAssertion: minted.assertion }, grantParams, bodyFormat);
  return {
    request,
    secrets: [minted.assertion],
    clientAssertion: { header: { ...minted.header }, claims: { ...minted.claims } },
  };
}

/** A client assertion for one request of the flow (or a deliberately broken one); 409 when its key is gone. */
export async function mintFlowAssertion(flow: ResolvedFlow, fault?: { assertionFault: AssertionFault; previousJti?: string }): Promise<MintedClientAssertion> {
  const { credential, env } = flow;
  if (!credential.clientKey) {
    throw new HttpError(409, 'conflict', `"${credential.label}" signs its client assertions with a key that is no longer in your workspace.`, {
      hint: 'Edit the provider and pick one of your keys (and register its JWKS at the provider), or generate a new one.',
    });
  }
  const input = { key: credential.clientKey, clientId: credential.clientId, tokenUrl: env.tokenUrl.toString() };
  try {
    return fault ? await mintFaultyAssertion(fault.assertionFault, { ...input, previousJti: fault.previousJti }) : await mintClientAssertion(input);
  } catch (error) {
    if (error instanceof RangeError) throw new HttpError(409, 'conflict', error.message);
    throw error;
  }
}
