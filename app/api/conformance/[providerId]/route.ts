import { conformanceRunRequestSchema } from '@/lib/contract/schemas';
import { conformanceResponse } from '@/lib/conformance/stream';
import { runConformance } from '@/lib/conformance/runner';
import { defineProviderRoute } from '@/lib/http/provider-route';

export const dynamic = 'force-dynamic';

/** "Check this server": runs the conformance checks against the provider and streams the results as NDJSON. */
export const POST = defineProviderRoute({ body: conformanceRunRequestSchema, session: 'create' }, async ({ request, body, session, vault, flowOf }) =>
  conformanceResponse(runConformance({ vault, sid: session.sid, flow: flowOf(body.environmentId, body.credential), groups: body.groups }), request.signal),
);
