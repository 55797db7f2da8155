import { tokenRequestSchema, type TokenResponseDto } from '@/lib/contract/schemas';
import { defineProviderRoute } from '@/lib/http/provider-route';
import { resolveFlow } from '@/lib/oauth/flow';
import { readSessionView } from '@/lib/oauth/session-view';
import { describeStoredToken } from '@/lib/oauth/session-tokens';
import { getClientCredentialsToken } from '@/lib/oauth/token-service';
import { withClientKey } from '@/lib/smart/catalogue';

export const dynamic = 'force-dynamic';

/** Runs the provider's client-credentials exchange server-side; the page gets claims and expiry, never the token. */
export const POST = defineProviderRoute(
  { body: tokenRequestSchema, session: 'create' },
  async ({ body, session, workspaceId, vault, entry, simulations }): Promise<TokenResponseDto> => {
    const flow = withClientKey(resolveFlow(entry.provider, body.environmentId, body.credential), entry);
    const outcome = await getClientCredentialsToken({ vault, sid: session.sid, simulations }, flow, body);
    return { token: describeStoredToken(outcome.token, outcome.reused), serverNow: Date.now(), session: await readSessionView(session.sid, workspaceId) };
  },
);
