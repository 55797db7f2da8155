import { providerParamsSchema } from '@/lib/api-client/route-params';
import type { IntrospectionDto } from '@/lib/api-client/schemas';
import { defineRoute } from '@/lib/http/define-route';
import { introspectSessionToken } from '@/lib/oauth/introspection';
import { requireSessionToken } from '@/lib/oauth/session-tokens';
import { requireProvider } from '@/lib/providers/lookup';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Asks the provider about the session's (opaque) token with RFC 7662 introspection. */
export const POST = defineRoute({ params: providerParamsSchema, session: 'create' }, async ({ params, session }): Promise<IntrospectionDto> => {
  const provider = requireProvider(params.providerId);
  const vault = getVault();
  const { stored, flow } = await requireSessionToken(vault, session.sid, provider, 'introspect');
  return introspectSessionToken({ vault, sid: session.sid }, stored, flow);
});
