import { providerParamsSchema } from '@/lib/api-client/route-params';
import { fhirDownloadRequestSchema } from '@/lib/api-client/schemas';
import { openFhirDownload } from '@/lib/fhir/download';
import { resolveFhirTarget } from '@/lib/fhir/target';
import { defineRoute } from '@/lib/http/define-route';
import { requireProvider } from '@/lib/providers/lookup';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Streams one file (a bulk export's output) through the BFF with the session's token; never buffered whole. */
export const POST = defineRoute(
  { params: providerParamsSchema, body: fhirDownloadRequestSchema, session: 'create' },
  async ({ request, params, body, session }) => {
    const provider = requireProvider(params.providerId);
    const vault = getVault();
    const { env, token } = resolveFhirTarget(provider, await vault.getToken(session.sid, provider.id), body);
    const simulations = await vault.getSimulations(session.sid, provider.id);
    return openFhirDownload(env, token, body.path, (exchange) => vault.recordExchange(session.sid, exchange), {
      signal: request.signal,
      simulations,
    });
  },
);
