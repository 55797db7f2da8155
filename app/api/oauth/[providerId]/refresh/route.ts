import type { TokenResponseDto } from '@/lib/contract/schemas';
import { defineProviderRoute } from '@/lib/http/provider-route';
import { refreshSessionToken } from '@/lib/oauth/refresh';
import { readSessionView } from '@/lib/oauth/session-view';
import { describeStoredToken, requireSessionToken } from '@/lib/oauth/session-tokens';

export const dynamic = 'force-dynamic';

/** Refreshes the session's token for the provider with its refresh token; rotation shows in the DTO's history. */
export const POST = defineProviderRoute({ session: 'create' }, async ({ session, workspaceId, vault, entry, simulations }): Promise<TokenResponseDto> => {
  const { stored, flow } = await requireSessionToken(vault, session.sid, entry, 'refresh');
  const token = await refreshSessionToken({ vault, sid: session.sid, simulations }, stored, flow);
  return { token: describeStoredToken(token), serverNow: Date.now(), session: await readSessionView(session.sid, workspaceId) };
});
