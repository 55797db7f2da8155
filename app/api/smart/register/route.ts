import { registerClientRequestSchema, type RegisterClientResponse } from '@/lib/contract/smart';
import { defineRoute } from '@/lib/http/define-route';
import { consoleOrigin } from '@/lib/http/origin';
import { redirectUriFor } from '@/lib/oauth/authorization-code';
import { getVault } from '@/lib/session';
import { registerClient } from '@/lib/smart/custom-provider-service';
import { ensureWorkspace } from '@/lib/smart/workspace';

export const dynamic = 'force-dynamic';

/** RFC 7591: registers a private_key_jwt client with this user's JWKS URL at the discovered server. */
export const POST = defineRoute({ body: registerClientRequestSchema, session: 'create' }, async ({ body, workspaceId, session, request }): Promise<RegisterClientResponse> => {
  const vault = getVault();
  const publicOrigin = consoleOrigin(request);
  const workspace = await ensureWorkspace(vault, workspaceId);
  return registerClient({ vault, sid: session.sid, publicOrigin }, workspace, {
    ...body,
    redirectUri: body.providerId ? redirectUriFor(publicOrigin, body.providerId) : undefined,
  });
});
