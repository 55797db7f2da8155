import { discoverRequestSchema, type DiscoveryDto } from '@/lib/contract/smart';
import { defineRoute } from '@/lib/http/define-route';
import { consoleOrigin } from '@/lib/http/origin';
import { getVault } from '@/lib/session';
import { discoverForSession, toDiscoveryDto } from '@/lib/smart/custom-provider-service';

export const dynamic = 'force-dynamic';

/** Reads a server's SMART configuration and OpenID metadata for the add-a-provider form; nothing is saved. */
export const POST = defineRoute({ body: discoverRequestSchema, session: 'create' }, async ({ body, session, request }): Promise<DiscoveryDto> => {
  const { result } = await discoverForSession({ vault: getVault(), sid: session.sid, publicOrigin: consoleOrigin(request) }, body.url);
  return toDiscoveryDto(result);
});
