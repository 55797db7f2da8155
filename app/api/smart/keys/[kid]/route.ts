import { z } from 'zod';
import { defineRoute } from '@/lib/http/define-route';
import { HttpError } from '@/lib/http/errors';
import { getVault } from '@/lib/session';
import { updateWorkspace } from '@/lib/smart/workspace';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({ kid: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/) });

/** Removes a key from the JWKS; refused while a saved provider signs with it. */
export const DELETE = defineRoute({ params: paramsSchema, session: 'none' }, async ({ params, workspaceId }) => {
  await updateWorkspace(getVault(), workspaceId, (workspace) => {
    if (!workspace.keys.some((k) => k.kid === params.kid)) throw new HttpError(404, 'not_found', 'That key is not in your JWKS.');
    const users = workspace.providers.filter((p) => p.keyKid === params.kid);
    if (users.length > 0) {
      throw new HttpError(409, 'conflict', `${users.map((p) => p.name).join(', ')} ${users.length === 1 ? 'signs' : 'sign'} with this key.`, {
        hint: 'Switch those providers to another key (and register it), or delete them, first.',
      });
    }
    return { workspace: { ...workspace, keys: workspace.keys.filter((k) => k.kid !== params.kid) }, result: null };
  });
  return { ok: true };
});
