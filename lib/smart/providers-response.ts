import 'server-only';
import { readRequestOwner } from '@/lib/auth/request-owner';
import type { ProvidersResponse } from '@/lib/contract/schemas';
import { consoleOrigin } from '@/lib/http/origin';
import { log } from '@/lib/log';
import { builtinSandboxesEnabled } from '@/lib/providers/builtin-sandboxes';
import { toProviderDto } from '@/lib/providers/dto';
import { getVault } from '@/lib/session';
import { loadCatalogue } from './catalogue';
import { workspaceOwner } from './workspace';

/**
 * The console's providers and the ones this workspace added by discovery, without any secret: what
 * `GET /api/providers` answers and what the console page renders with (so its first load waits for no second
 * request).
 */
export async function readProvidersResponse(publicOrigin: string, workspaceId: string): Promise<ProvidersResponse> {
  const builtin = builtinSandboxesEnabled();
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
}

/**
 * The same list for the console page's first render, read from the page request's headers with the rules the
 * route applies (the Host the console answers as, the signed-in user's workspace). Null when it cannot be read
 * here: the page then asks `/api/providers` as before, and that answer explains any error.
 */
export async function readProvidersForPage(requestHeaders: Headers): Promise<ProvidersResponse | null> {
  try {
    const owner = await readRequestOwner(requestHeaders.get('cookie'));
    if (owner === undefined) return null;
    const request = new Request(`http://${requestHeaders.get('host') ?? 'localhost'}/`, { headers: requestHeaders });
    return await readProvidersResponse(consoleOrigin(request), workspaceOwner(owner));
  } catch (error) {
    log.warn({ err: error instanceof Error ? error.message : String(error) }, 'provider list not rendered with the page');
    return null;
  }
}
