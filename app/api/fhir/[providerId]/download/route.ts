import { providerParamsSchema } from '@/lib/contract/route-params';
import { fhirDownloadRequestSchema } from '@/lib/contract/schemas';
import { openFhirDownload } from '@/lib/fhir/download';
import { resolveFhirTarget } from '@/lib/fhir/target';
import { acceptsGzip } from '@/lib/http/accept-encoding';
import { defineRoute } from '@/lib/http/define-route';
import { requireProviderEntry } from '@/lib/smart/catalogue';
import { workspaceOwner } from '@/lib/smart/workspace';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Streams one file (a bulk export's output) through the BFF with the session's token; never buffered whole. */
export const POST = defineRoute(
  { params: providerParamsSchema, body: fhirDownloadRequestSchema, session: 'create' },
  async ({ request, params, body, session, owner }) => {
    const vault = getVault();
    const { provider } = await requireProviderEntry(vault, workspaceOwner(owner), params.providerId);
    const { env, token } = resolveFhirTarget(provider, await vault.getToken(session.sid, provider.id), body);
    const simulations = await vault.getSimulations(session.sid, provider.id);
    return openFhirDownload(env, token, body.path, (exchange) => vault.recordExchange(session.sid, exchange), {
      signal: request.signal,
      simulations,
      acceptGzip: acceptsGzip(request.headers.get('accept-encoding')),
    });
  },
);
