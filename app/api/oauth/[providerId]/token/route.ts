import { providerParamsSchema } from '@/lib/api-client/route-params';
import { tokenRequestSchema, type TokenResponseDto } from '@/lib/api-client/schemas';
import { defineRoute } from '@/lib/http/define-route';
import { toTokenDto } from '@/lib/oauth/token-dto';
import { getClientCredentialsToken } from '@/lib/oauth/token-service';
import { requireEnvironment, requireProvider } from '@/lib/providers/lookup';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Runs the provider's token exchange server-side; the page gets claims and expiry, never the token. */
export const POST = defineRoute(
  { params: providerParamsSchema, body: tokenRequestSchema, session: 'create' },
  async ({ params, body, session }): Promise<TokenResponseDto> => {
    const env = requireEnvironment(requireProvider(params.providerId), body.environmentId);
    const outcome = await getClientCredentialsToken({ vault: getVault(), sid: session.sid }, env, body);
    return { token: toTokenDto(outcome.token, outcome.reused), serverNow: Date.now() };
  },
);
