import { fhirProxyRequestSchema, type FhirProxyResponse } from '@/lib/contract/schemas';
import { sendFhirRequest } from '@/lib/fhir/proxy';
import { resolveFhirTarget } from '@/lib/fhir/target';
import { defineProviderRoute } from '@/lib/http/provider-route';
import { recordTokenRefusal } from '@/lib/oauth/token-refusal';

export const dynamic = 'force-dynamic';

/** Sends a FHIR (or provider API) request with the session's token to the allowlisted endpoints of its flow. */
export const POST = defineProviderRoute(
  { body: fhirProxyRequestSchema, session: 'create' },
  async ({ body, session, vault, provider, simulations }): Promise<FhirProxyResponse> => {
    const { env, token } = resolveFhirTarget(provider, await vault.getToken(session.sid, provider.id), body);
    return sendFhirRequest(env, token, body, (exchange) => vault.recordExchange(session.sid, exchange), {
      simulations,
      onTokenRefused: (refused, reason, exchangeId) => recordTokenRefusal(vault, session.sid, refused, { at: Date.now(), source: 'resource', reason, exchangeId }),
      dpop: { vault, sid: session.sid, providerId: provider.id },
    });
  },
);
