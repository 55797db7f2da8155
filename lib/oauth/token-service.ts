import 'server-only';
import { assertionFaultLabels, type AssertionFault } from '@/lib/contract/smart';
import { HttpError } from '@/lib/http/errors';
import { simulatesTokenFailure } from '@/lib/http/simulation';
import type { StoredToken } from '@/lib/session/vault';
import type { ResolvedFlow } from './flow';
import { callTokenEndpoint, secretFingerprint, type TokenEndpointContext } from './token-endpoint';
import { prepareTokenRequest } from './client-authentication';
import { recipeDeviations, type TokenBodyFormat } from './token-request';

/** A live token is reused only while it has at least this long to live. */
const REUSE_MIN_REMAINING_MS = 60_000;

export interface TokenOutcome {
  token: StoredToken;
  reused?: { reason: string };
}

/**
 * Gets a client-credentials token for the session: reuses a live one when the provider asks for reuse,
 * otherwise runs the exchange exactly as the provider's recipe says and stores the result in the vault.
 */
export async function getClientCredentialsToken(
  ctx: TokenEndpointContext,
  flow: ResolvedFlow,
  options: { forceNew?: boolean; bodyFormat?: TokenBodyFormat; assertionFault?: AssertionFault } = {},
): Promise<TokenOutcome> {
  const now = ctx.now ?? Date.now;
  const { provider, env, grant, credential } = flow;
  if (grant.grantType !== 'client_credentials') {
    throw new HttpError(400, 'bad_request', `"${credential.label}" uses the authorization code grant: start it with Authorize.`);
  }
  const bodyFormat = options.bodyFormat && grant.bodyChoices?.includes(options.bodyFormat) ? options.bodyFormat : undefined;

  // A simulated token-endpoint failure must reach the token endpoint to be seen.
  const simulating = simulatesTokenFailure(env.environment.kind, ctx.simulations);
  if (provider.tokenReuse.reuseLiveToken && !options.forceNew && !simulating) {
    const live = await ctx.vault.getToken(ctx.sid, provider.id);
    if (
      live &&
      !live.refusal &&
      live.environmentId === env.environment.id &&
      isSameCredential(live.credential, credential) &&
      live.expiresAt - now() > REUSE_MIN_REMAINING_MS
    ) {
      const minutes = Math.floor((live.expiresAt - now()) / 60_000);
      const reusedToken: StoredToken = { ...live, reuses: [...live.reuses, now()] };
      await ctx.vault.putToken(ctx.sid, reusedToken);
      return { token: reusedToken, reused: { reason: `Reused the live token (${minutes} min left) instead of minting a new one. ${provider.tokenReuse.reason}` } };
    }
  }

  if (options.assertionFault && grant.clientAuth !== 'private_key_jwt') {
    throw new HttpError(400, 'bad_request', `"${credential.label}" authenticates without a client assertion, so there is none to break.`);
  }
  const fault = options.assertionFault
    ? { assertionFault: options.assertionFault, previousJti: jtiOf(await ctx.vault.getToken(ctx.sid, provider.id)) }
    : undefined;
  const prepared = await prepareTokenRequest(flow, {}, bodyFormat, fault);
  const { token } = await callTokenEndpoint(ctx, flow, prepared.request, {
    secrets: prepared.secrets,
    clientAssertion: prepared.clientAssertion,
    requestDeviations: recipeDeviations(grant, provider.knownDeviations, bodyFormat),
  });
  const accepted: StoredToken = options.assertionFault
    ? {
        ...token,
        deviations: [
          ...token.deviations,
          {
            code: 'accepted_faulty_assertion',
            field: 'client_assertion',
            severity: 'warning',
            message: `The server accepted an assertion with ${assertionFaultLabels[options.assertionFault]}; a SMART Backend Services server must refuse it.`,
            known: false,
          },
        ],
      }
    : token;
  await ctx.vault.putToken(ctx.sid, accepted);
  return { token: accepted };
}

function jtiOf(token: StoredToken | null): string | undefined {
  const jti = token?.clientAssertion?.claims.jti;
  return typeof jti === 'string' ? jti : undefined;
}

/**
 * Whether a live token was minted with the credentials of this request: the same preset, or the same client ID with
 * the same secret (by its keyed fingerprint). A client ID alone is not enough: a wrong secret must meet the
 * provider's refusal, not a token minted with the right one.
 */
function isSameCredential(stored: StoredToken['credential'], requested: ResolvedFlow['credential']): boolean {
  if (stored.kind !== requested.kind || stored.clientId !== requested.clientId) return false;
  if (requested.kind === 'preset') return stored.presetId === requested.presetId;
  return stored.secretFingerprint !== undefined && stored.secretFingerprint === secretFingerprint(requested.clientSecret);
}
