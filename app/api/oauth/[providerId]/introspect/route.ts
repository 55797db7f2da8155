import { providerParamsSchema } from '@/lib/contract/route-params';
import type { IntrospectionDto } from '@/lib/contract/schemas';
import { defineRoute } from '@/lib/http/define-route';
import { introspectSessionToken } from '@/lib/oauth/introspection';
import { requireSessionToken } from '@/lib/oauth/session-tokens';
import { requireProviderEntry } from '@/lib/smart/catalogue';
import { workspaceOwner } from '@/lib/smart/workspace';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Asks the provider about the session's (opaque) token with RFC 7662 introspection. */
export const POST = defineRoute({ params: providerParamsSchema, session: 'create' }, async ({ params, session, owner }): Promise<IntrospectionDto> => {
  const vault = getVault();
  const entry = await requireProviderEntry(vault, workspaceOwner(owner), params.providerId);
  const { stored, flow } = await requireSessionToken(vault, session.sid, entry, 'introspect');
  return introspectSessionToken({ vault, sid: session.sid }, stored, flow);
});
