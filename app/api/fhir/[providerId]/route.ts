import { providerParamsSchema } from '@/lib/api-client/route-params';
import { fhirProxyRequestSchema, type FhirProxyResponse } from '@/lib/api-client/schemas';
import { sendFhirRequest } from '@/lib/fhir/proxy';
import { defineRoute } from '@/lib/http/define-route';
import { requireEnvironment, requireProvider } from '@/lib/providers/lookup';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Sends a FHIR request with the session's token to the provider environment's allowlisted origin. */
export const POST = defineRoute(
  { params: providerParamsSchema, body: fhirProxyRequestSchema, session: 'create' },
  async ({ params, body, session }): Promise<FhirProxyResponse> => {
    const provider = requireProvider(params.providerId);
    const vault = getVault();
    const token = await vault.getToken(session.sid, provider.id);
    const env = requireEnvironment(provider, body.environmentId ?? token?.environmentId ?? provider.environments[0]!.id);
    return sendFhirRequest(env, token, body, (exchange) => vault.recordExchange(session.sid, exchange));
  },
);
