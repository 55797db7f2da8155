import 'server-only';
import type { z } from 'zod';
import type { TokenRequest } from '@/lib/contract/schemas';
import type { SimulatedFailure } from '@/lib/contract/simulated-failures';
import { providerParamsSchema } from '@/lib/contract/route-params';
import type { Provider } from '@/lib/providers/schema';
import { getVault } from '@/lib/session';
import type { SessionVault } from '@/lib/session/vault';
import { resolveFlow, type ResolvedFlow } from '@/lib/oauth/flow';
import { requireProviderEntry, withClientKey, type ProviderEntry } from '@/lib/smart/catalogue';
import { defineRoute, type HandlerContext, type SessionMode } from './define-route';

type ProviderParams = typeof providerParamsSchema;

/** What a `/api/…/[providerId]/…` handler gets besides the route's context: the provider, resolved once. */
export interface ProviderContext {
  vault: SessionVault;
  /** The console's provider, or one the user added by URL (with its saved client key). */
  entry: ProviderEntry;
  provider: Provider;
  /** The failures this session asked the provider's built-in sandbox to simulate; none without a session. */
  simulations: SimulatedFailure[];
  /** The flow a request names (environment and credential set), with the saved client key where one signs. */
  flowOf(environmentId: string, credential: TokenRequest['credential']): ResolvedFlow;
}

/**
 * {@link defineRoute} for the routes under a provider id: the id is parsed, the provider looked up in the user's
 * catalogue (404 for one they cannot see) and the session's simulated failures read, once, before the handler runs;
 * the handler resolves the flow its body names with `flowOf`.
 */
export function defineProviderRoute<B extends z.ZodType = z.ZodUndefined, S extends SessionMode = SessionMode>(
  spec: { body?: B; csrf?: boolean; session: S },
  handler: (ctx: HandlerContext<ProviderParams, B, S> & ProviderContext) => Promise<unknown>,
) {
  return defineRoute({ ...spec, params: providerParamsSchema }, async (ctx) => {
    const vault = getVault();
    const entry = await requireProviderEntry(vault, ctx.workspaceId, ctx.params.providerId);
    const simulations = ctx.session ? await vault.getSimulations(ctx.session.sid, entry.provider.id) : [];
    const flowOf = (environmentId: string, credential: TokenRequest['credential']) => withClientKey(resolveFlow(entry.provider, environmentId, credential), entry);
    return handler({ ...ctx, vault, entry, provider: entry.provider, simulations, flowOf });
  });
}
