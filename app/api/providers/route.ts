import { defineRoute } from '@/lib/http/define-route';
import { requestOrigin } from '@/lib/http/origin';
import { providers } from '@/lib/providers';
import { toProviderDto } from '@/lib/providers/dto';
import { builtinSandboxesEnabled } from '@/lib/sandbox';
import type { ProvidersResponse } from '@/lib/api-client/schemas';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({ session: 'none' }, async ({ request }): Promise<ProvidersResponse> => {
  const builtin = builtinSandboxesEnabled();
  const publicOrigin = requestOrigin(request);
  return { providers: providers.map((p) => toProviderDto(p, builtin, publicOrigin)), builtinSandboxes: builtin };
});
