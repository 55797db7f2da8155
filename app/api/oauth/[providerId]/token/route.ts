import { providerParamsSchema } from '@/lib/contract/route-params';
import { tokenRequestSchema, type TokenResponseDto } from '@/lib/contract/schemas';
import { defineRoute } from '@/lib/http/define-route';
import { resolveFlow } from '@/lib/oauth/flow';
import { readSessionView } from '@/lib/oauth/session-view';
import { describeStoredToken } from '@/lib/oauth/session-tokens';
import { getClientCredentialsToken } from '@/lib/oauth/token-service';
import { requireProviderEntry, withClientKey } from '@/lib/smart/catalogue';
import { workspaceOwner } from '@/lib/smart/workspace';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Runs the provider's client-credentials exchange server-side; the page gets claims and expiry, never the token. */
export const POST = defineRoute(
  { params: providerParamsSchema, body: tokenRequestSchema, session: 'create' },
  async ({ params, body, session, owner }): Promise<TokenResponseDto> => {
    const vault = getVault();
    const entry = await requireProviderEntry(vault, workspaceOwner(owner), params.providerId);
    const flow = withClientKey(resolveFlow(entry.provider, body.environmentId, body.credential), entry);
    const simulations = await vault.getSimulations(session.sid, flow.provider.id);
    const outcome = await getClientCredentialsToken({ vault, sid: session.sid, simulations }, flow, body);
    return { token: describeStoredToken(outcome.token, outcome.reused), serverNow: Date.now(), session: await readSessionView(session.sid, owner) };
  },
);
