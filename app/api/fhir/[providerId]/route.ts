import { providerParamsSchema } from '@/lib/contract/route-params';
import { fhirProxyRequestSchema, type FhirProxyResponse } from '@/lib/contract/schemas';
import { sendFhirRequest } from '@/lib/fhir/proxy';
import { resolveFhirTarget } from '@/lib/fhir/target';
import { defineRoute } from '@/lib/http/define-route';
import { requireProviderEntry } from '@/lib/smart/catalogue';
import { workspaceOwner } from '@/lib/smart/workspace';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Sends a FHIR (or provider API) request with the session's token to the allowlisted endpoints of its flow. */
export const POST = defineRoute(
  { params: providerParamsSchema, body: fhirProxyRequestSchema, session: 'create' },
  async ({ params, body, session, owner }): Promise<FhirProxyResponse> => {
    const vault = getVault();
    const { provider } = await requireProviderEntry(vault, workspaceOwner(owner), params.providerId);
    const { env, token } = resolveFhirTarget(provider, await vault.getToken(session.sid, provider.id), body);
    const simulations = await vault.getSimulations(session.sid, provider.id);
    return sendFhirRequest(env, token, body, (exchange) => vault.recordExchange(session.sid, exchange), { simulations });
  },
);
