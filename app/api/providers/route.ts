import { defineRoute } from '@/lib/http/define-route';
import { consoleOrigin } from '@/lib/http/origin';
import { readProvidersResponse } from '@/lib/smart/providers-response';
import type { ProvidersResponse } from '@/lib/contract/schemas';

export const dynamic = 'force-dynamic';

/** The console's providers and the ones this user added by discovery, without any secret. */
export const GET = defineRoute({ session: 'none' }, async ({ request, workspaceId }): Promise<ProvidersResponse> =>
  readProvidersResponse(consoleOrigin(request), workspaceId),
);
