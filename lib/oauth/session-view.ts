import 'server-only';
import type { SessionDto } from '@/lib/contract/schemas';
import { getVault } from '@/lib/session';
import { sessionTag } from '@/lib/session/cookie';
import { loadCatalogue } from '@/lib/smart/catalogue';
import { describeStoredToken } from './session-tokens';

/** Every provider the session may hold a token for: the console's and those saved in the workspace. */
export async function sessionProviderIds(workspaceId: string): Promise<string[]> {
  return (await loadCatalogue(getVault(), workspaceId)).map((entry) => entry.provider.id);
}

/**
 * The session as the page may see it: token DTOs (never tokens), the redacted timeline, explained callback failures,
 * simulated failures and ended tokens. `GET /api/session` answers it, and so does every call that changes it (a new
 * token, a refresh), so the page updates its cache from the answer instead of reading the session again.
 */
export async function readSessionView(sid: string, workspaceId: string): Promise<SessionDto> {
  const vault = getVault();
  const providerIds = await sessionProviderIds(workspaceId);
  const [tokens, exchanges, flowErrors, simulations, endedTokens] = await Promise.all([
    vault.getTokens(sid, providerIds),
    vault.listExchanges(sid),
    vault.listFlowErrors(sid, providerIds),
    vault.listSimulations(sid, providerIds),
    vault.getEndedTokens(sid, providerIds),
  ]);
  return { serverNow: Date.now(), sessionTag: sessionTag(sid), tokens: tokens.map((t) => describeStoredToken(t)), exchanges, flowErrors, simulations, endedTokens };
}
