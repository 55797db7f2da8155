import { customProviderInputSchema, type CustomProviderDto } from '@/lib/contract/smart';
import { defineRoute } from '@/lib/http/define-route';
import { consoleOrigin } from '@/lib/http/origin';
import { redirectUriFor } from '@/lib/oauth/authorization-code';
import { getVault } from '@/lib/session';
import { toCustomProviderDto } from '@/lib/smart/custom-provider';
import { assertStillValid, buildCustomProviderRecord } from '@/lib/smart/custom-provider-service';
import { readWorkspace, updateWorkspace } from '@/lib/smart/workspace';

export const dynamic = 'force-dynamic';

/** The providers this user added by discovery; secrets stay on the server. */
export const GET = defineRoute({ session: 'none' }, async ({ workspaceId, request }): Promise<{ providers: CustomProviderDto[] }> => {
  const workspace = await readWorkspace(getVault(), workspaceId);
  const origin = consoleOrigin(request);
  return { providers: workspace.providers.map((record) => toCustomProviderDto(record, redirectUriFor(origin, record.id))) };
});

/** Saves a new provider: the server is discovered again here, and the configuration checked against it. */
export const POST = defineRoute({ body: customProviderInputSchema, session: 'create' }, async ({ body, workspaceId, session, request }): Promise<{ provider: CustomProviderDto }> => {
  const vault = getVault();
  const publicOrigin = consoleOrigin(request);
  const ownerKey = workspaceId;
  // Discovery happens outside the workspace lock (it may take seconds); the write re-checks what it relies on.
  const record = await buildCustomProviderRecord({ vault, sid: session.sid, publicOrigin }, body, await readWorkspace(vault, ownerKey));
  const { result } = await updateWorkspace(vault, ownerKey, (workspace) => {
    assertStillValid(workspace, record);
    return { workspace: { ...workspace, providers: [...workspace.providers, record] }, result: record };
  });
  return { provider: toCustomProviderDto(result, redirectUriFor(publicOrigin, result.id)) };
});
