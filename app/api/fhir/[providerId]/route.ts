import { providerParamsSchema } from '@/lib/api-client/route-params';
import { fhirProxyRequestSchema, type FhirProxyResponse } from '@/lib/api-client/schemas';
import { sendFhirRequest } from '@/lib/fhir/proxy';
import { defineRoute } from '@/lib/http/define-route';
import { resolveFlow } from '@/lib/oauth/flow';
import { requireEnvironment, requireProvider } from '@/lib/providers/lookup';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/**
 * Sends a FHIR (or provider API) request with the session's token to the allowlisted endpoints of the token's
 * own flow — a preset may live on other paths or another host than its environment's default.
 */
export const POST = defineRoute(
  { params: providerParamsSchema, body: fhirProxyRequestSchema, session: 'create' },
  async ({ params, body, session }): Promise<FhirProxyResponse> => {
    const provider = requireProvider(params.providerId);
    const vault = getVault();
    const token = await vault.getToken(session.sid, provider.id);
    const environmentId = body.environmentId ?? token?.environmentId ?? provider.environments[0]?.id ?? '';
    const tokenFits = token !== null && token.environmentId === environmentId && (body.presetId === undefined || body.presetId === token.credential.presetId);
    const presetId = tokenFits ? token.credential.presetId : body.presetId;
    const env = presetId
      ? resolveFlow(provider, environmentId, { kind: 'preset', presetId }).env
      : requireEnvironment(provider, environmentId);
    const simulations = await vault.getSimulations(session.sid, provider.id);
    return sendFhirRequest(env, tokenFits ? token : null, body, (exchange) => vault.recordExchange(session.sid, exchange), { simulations });
  },
);
