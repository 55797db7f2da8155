import { defineRoute } from '@/lib/http/define-route';
import { consoleOrigin } from '@/lib/http/origin';
import { toProviderDto } from '@/lib/providers/dto';
import { builtinSandboxesEnabled } from '@/lib/providers/builtin-sandboxes';
import { getVault } from '@/lib/session';
import { loadCatalogue } from '@/lib/smart/catalogue';
import type { ProvidersResponse } from '@/lib/contract/schemas';

export const dynamic = 'force-dynamic';

/** The console's providers and the ones this user added by discovery, without any secret. */
export const GET = defineRoute({ session: 'none' }, async ({ request, workspaceId }): Promise<ProvidersResponse> => {
  const builtin = builtinSandboxesEnabled();
  const publicOrigin = consoleOrigin(request);
  const catalogue = await loadCatalogue(getVault(), workspaceId);
  return {
    providers: catalogue
      .filter(({ record }) => builtin || record?.environmentKind !== 'builtin')
      .map(({ provider, record }) => ({
        ...toProviderDto(provider, builtin, publicOrigin),
        ...(record ? { custom: { discoveryUrl: record.discoveryUrl, issuer: record.server.issuer } } : {}),
      })),
    builtinSandboxes: builtin,
  };
});
