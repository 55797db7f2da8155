import { fhirDownloadRequestSchema } from '@/lib/contract/schemas';
import { openFhirDownload } from '@/lib/fhir/download';
import { resolveFhirTarget } from '@/lib/fhir/target';
import { acceptsGzip } from '@/lib/contract/headers';
import { defineProviderRoute } from '@/lib/http/provider-route';

export const dynamic = 'force-dynamic';

/** Streams one file (a bulk export's output) through the BFF with the session's token; never buffered whole. */
export const POST = defineProviderRoute(
  { body: fhirDownloadRequestSchema, session: 'create' },
  async ({ request, body, session, vault, provider, simulations }) => {
    const { env, token } = resolveFhirTarget(provider, await vault.getToken(session.sid, provider.id), body);
    return openFhirDownload(env, token, body.path, (exchange) => vault.recordExchange(session.sid, exchange), {
      signal: request.signal,
      simulations,
      acceptGzip: acceptsGzip(request.headers.get('accept-encoding')),
      dpop: { vault, sid: session.sid, providerId: provider.id },
    });
  },
);
