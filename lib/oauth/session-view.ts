import 'server-only';
import type { SessionDto } from '@/lib/contract/schemas';
import { getVault } from '@/lib/session';
import { sessionTag } from '@/lib/session/cookie';
import { loadCatalogue } from '@/lib/smart/catalogue';
import { checkExchanges, providerFacts } from '@/lib/conformance/passive';
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
export async function readSessionView(sid: string, workspaceId: string, options: { exchangesAfter?: string } = {}): Promise<SessionDto> {
  const vault = getVault();
  const catalogue = await loadCatalogue(vault, workspaceId);
  const providerIds = catalogue.map((entry) => entry.provider.id);
  const [tokens, exchanges, flowErrors, simulations, endedTokens] = await Promise.all([
    vault.getTokens(sid, providerIds),
    vault.listExchanges(sid),
    vault.listFlowErrors(sid, providerIds),
    vault.listSimulations(sid, providerIds),
    vault.getEndedTokens(sid, providerIds),
  ]);
  const tokenDtos = tokens.map((t) => describeStoredToken(t));
  const facts = new Map(catalogue.map((entry) => [entry.provider.id, providerFacts(entry.provider)]));
  const checks = checkExchanges(exchanges, facts, tokenDtos);
  // Only what the page lacks, when it said what it holds and that is still in the history (the rest is unchanged).
  const known = options.exchangesAfter === undefined ? -1 : exchanges.findIndex((exchange) => exchange.id === options.exchangesAfter);
  const from = known + 1;
  return {
    serverNow: Date.now(),
    sessionTag: sessionTag(sid),
    tokens: tokenDtos,
    exchanges: exchanges.slice(from).map((exchange, i) => ({ ...exchange, checks: checks[from + i] ?? [] })),
    ...(known >= 0 ? { exchangesAfter: options.exchangesAfter } : {}),
    flowErrors,
    simulations,
    endedTokens,
  };
}
