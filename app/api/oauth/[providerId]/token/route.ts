import { tokenRequestSchema, type TokenResponseDto } from '@/lib/contract/schemas';
import { defineProviderRoute } from '@/lib/http/provider-route';
import { readSessionView } from '@/lib/oauth/session-view';
import { describeStoredToken } from '@/lib/oauth/session-tokens';
import { getClientCredentialsToken } from '@/lib/oauth/token-service';

export const dynamic = 'force-dynamic';

/** Runs the provider's client-credentials exchange server-side; the page gets claims and expiry, never the token. */
export const POST = defineProviderRoute(
  { body: tokenRequestSchema, session: 'create' },
  async ({ body, session, workspaceId, vault, simulations, flowOf }): Promise<TokenResponseDto> => {
    const flow = flowOf(body.environmentId, body.credential);
    const outcome = await getClientCredentialsToken({ vault, sid: session.sid, simulations }, flow, body);
    return { token: describeStoredToken(outcome.token, outcome.reused), serverNow: Date.now(), session: await readSessionView(session.sid, workspaceId, { exchangesAfter: body.sessionAfter }) };
  },
);
