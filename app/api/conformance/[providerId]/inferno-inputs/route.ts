import { z } from 'zod';
import { INFERNO_SUITES, infernoPreset } from '@/lib/conformance/inferno-inputs';
import { HttpError } from '@/lib/http/errors';
import { consoleOrigin } from '@/lib/http/origin';
import { defineProviderRoute } from '@/lib/http/provider-route';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  environmentId: z.string().min(1).max(64),
  presetId: z.string().min(1).max(64),
  suite: z.enum(INFERNO_SUITES).default('smart_stu2_2'),
  /** `inputs`: the array Inferno's inputs dialog uploads (JSON tab); `preset`: a preset file for the CLI. */
  format: z.enum(['inputs', 'preset']).default('inputs'),
});

/** The Inferno inputs for the checked server and credential set (the inputs array, or a preset file); no secret in it. */
export const GET = defineProviderRoute({ session: 'optional' }, async ({ request, flowOf }) => {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new HttpError(400, 'bad_request', `Which server? ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`, { hint: 'Give environmentId and presetId, and suite smart_stu2_2 or bulk_data_v200.' });
  const { environmentId, presetId, suite, format } = parsed.data;
  const flow = flowOf(environmentId, { kind: 'preset', presetId });
  if (suite === 'bulk_data_v200' && !flow.provider.bulkExport) throw new HttpError(400, 'bad_request', `${flow.provider.name} offers no Bulk Data export, so there is nothing for Inferno’s Bulk Data suite to test.`);
  // A built-in sandbox is reached by Inferno where the browser reaches the console, not on the console's loopback.
  const fhirBase = flow.env.environment.kind === 'builtin' ? consoleOrigin(request) + flow.env.fhirBaseUrl.pathname : flow.env.fhirBaseUrl.toString();
  const preset = infernoPreset(flow, suite, fhirBase.replace(/\/$/, ''));
  return new Response(`${JSON.stringify(format === 'preset' ? preset : preset.inputs, null, 2)}\n`, {
    headers: { 'Content-Type': 'application/json', 'Content-Disposition': `attachment; filename="inferno-${format}-${suite}-${flow.provider.id}-${environmentId}.json"` },
  });
});
