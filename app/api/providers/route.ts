import { defineRoute } from '@/lib/http/define-route';
import { providers } from '@/lib/providers';
import { toProviderDto } from '@/lib/providers/dto';
import { builtinSandboxesEnabled } from '@/lib/sandbox';
import type { ProvidersResponse } from '@/lib/api-client/schemas';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({ session: 'none' }, async (): Promise<ProvidersResponse> => {
  const builtin = builtinSandboxesEnabled();
  return { providers: providers.map((p) => toProviderDto(p, builtin)), builtinSandboxes: builtin };
});
