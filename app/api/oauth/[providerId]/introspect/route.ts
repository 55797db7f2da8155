import type { IntrospectionDto } from '@/lib/contract/schemas';
import { defineProviderRoute } from '@/lib/http/provider-route';
import { introspectSessionToken } from '@/lib/oauth/introspection';
import { requireSessionToken } from '@/lib/oauth/session-tokens';

export const dynamic = 'force-dynamic';

/** Asks the provider about the session's (opaque) token with RFC 7662 introspection. */
export const POST = defineProviderRoute({ session: 'create' }, async ({ session, vault, entry }): Promise<IntrospectionDto> => {
  const { stored, flow } = await requireSessionToken(vault, session.sid, entry, 'introspect');
  return introspectSessionToken({ vault, sid: session.sid }, stored, flow);
});
