import { providerParamsSchema } from '@/lib/contract/route-params';
import type { TokenResponseDto } from '@/lib/contract/schemas';
import { defineRoute } from '@/lib/http/define-route';
import { refreshSessionToken } from '@/lib/oauth/refresh';
import { readSessionView } from '@/lib/oauth/session-view';
import { describeStoredToken, requireSessionToken } from '@/lib/oauth/session-tokens';
import { requireProviderEntry } from '@/lib/smart/catalogue';
import { workspaceOwner } from '@/lib/smart/workspace';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Refreshes the session's token for the provider with its refresh token; rotation shows in the DTO's history. */
export const POST = defineRoute({ params: providerParamsSchema, session: 'create' }, async ({ params, session, owner }): Promise<TokenResponseDto> => {
  const vault = getVault();
  const entry = await requireProviderEntry(vault, workspaceOwner(owner), params.providerId);
  const { provider } = entry;
  const { stored, flow } = await requireSessionToken(vault, session.sid, entry, 'refresh');
  const simulations = await vault.getSimulations(session.sid, provider.id);
  const token = await refreshSessionToken({ vault, sid: session.sid, simulations }, stored, flow);
  return { token: describeStoredToken(token), serverNow: Date.now(), session: await readSessionView(session.sid, owner) };
});
