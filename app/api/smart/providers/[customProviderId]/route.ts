import { z } from 'zod';
import { customProviderIdSchema, customProviderInputSchema, type CustomProviderDto } from '@/lib/contract/smart';
import { defineRoute } from '@/lib/http/define-route';
import { HttpError } from '@/lib/http/errors';
import { consoleOrigin } from '@/lib/http/origin';
import { redirectUriFor } from '@/lib/oauth/authorization-code';
import { getVault } from '@/lib/session';
import { toCustomProviderDto } from '@/lib/smart/custom-provider';
import { assertStillValid, buildCustomProviderRecord } from '@/lib/smart/custom-provider-service';
import { readWorkspace, updateWorkspace } from '@/lib/smart/workspace';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({ customProviderId: customProviderIdSchema });

const notFound = (id: string) =>
  new HttpError(404, 'not_found', `You have no provider "${id}".`, { hint: 'It may have been deleted in another tab.' });

/** Changes a saved provider; an empty client secret keeps the saved one. */
export const PUT = defineRoute(
  { params: paramsSchema, body: customProviderInputSchema, session: 'create' },
  async ({ params, body, workspaceId, session, request }): Promise<{ provider: CustomProviderDto }> => {
    const vault = getVault();
    const publicOrigin = consoleOrigin(request);
    const ownerKey = workspaceId;
    const snapshot = await readWorkspace(vault, ownerKey);
    const existing = snapshot.providers.find((p) => p.id === params.customProviderId);
    if (!existing) throw notFound(params.customProviderId);
    // Discovery happens outside the workspace lock (it may take seconds); the write re-checks what it relies on.
    const record = await buildCustomProviderRecord({ vault, sid: session.sid, publicOrigin }, body, snapshot, existing);
    const { result } = await updateWorkspace(vault, ownerKey, (workspace) => {
      if (!workspace.providers.some((p) => p.id === record.id)) throw notFound(record.id);
      assertStillValid(workspace, record);
      return { workspace: { ...workspace, providers: workspace.providers.map((p) => (p.id === record.id ? record : p)) }, result: record };
    });
    return { provider: toCustomProviderDto(result, redirectUriFor(publicOrigin, result.id)) };
  },
);

/** Forgets a saved provider, and this session's token for it. */
export const DELETE = defineRoute({ params: paramsSchema, session: 'optional' }, async ({ params, workspaceId, session }) => {
  const vault = getVault();
  await updateWorkspace(vault, workspaceId, (workspace) => {
    if (!workspace.providers.some((p) => p.id === params.customProviderId)) throw notFound(params.customProviderId);
    return { workspace: { ...workspace, providers: workspace.providers.filter((p) => p.id !== params.customProviderId) }, result: null };
  });
  if (session) await vault.clear(session.sid, [params.customProviderId]);
  return { ok: true };
});
