import { clientKeyRequestSchema, type ClientKeysResponse } from '@/lib/contract/smart';
import { defineRoute } from '@/lib/http/define-route';
import { HttpError } from '@/lib/http/errors';
import { consoleOrigin } from '@/lib/http/origin';
import { getVault } from '@/lib/session';
import { toClientKeyDto } from '@/lib/smart/client-key-dto';
import { ClientKeyImportError, generateClientKey, importClientKey } from '@/lib/smart/client-keys';
import { MAX_CLIENT_KEYS, ensureWorkspace, jwksUrlOf, readWorkspace, updateWorkspace } from '@/lib/smart/workspace';

export const dynamic = 'force-dynamic';

/** This user's signing keys (public halves) and the URL their JWKS is published at. */
export const GET = defineRoute({ session: 'none' }, async ({ workspaceId, request }): Promise<ClientKeysResponse> => {
  const workspace = await ensureWorkspace(getVault(), workspaceId);
  return { jwksUrl: jwksUrlOf(consoleOrigin(request), workspace), keys: workspace.keys.map((key) => toClientKeyDto(key, workspace.providers)) };
});

/** Generates a key pair on the server, or imports a private key; only the public half comes back. */
export const POST = defineRoute({ body: clientKeyRequestSchema, session: 'none' }, async ({ body, workspaceId, request }) => {
  const current = await readWorkspace(getVault(), workspaceId);
  if (current.keys.length >= MAX_CLIENT_KEYS) throw tooManyKeys();
  let key;
  try {
    key = body.action === 'generate' ? await generateClientKey(body.alg) : await importClientKey(body.material, { alg: body.alg });
  } catch (error) {
    if (error instanceof ClientKeyImportError) throw new HttpError(400, 'validation_failed', error.message, { issues: [{ path: 'material', message: error.message }] });
    throw error;
  }
  const { workspace } = await updateWorkspace(getVault(), workspaceId, (current) => {
    if (current.keys.some((k) => k.kid === key.kid)) throw new HttpError(409, 'conflict', `Key ${key.kid} is already in your JWKS.`);
    if (current.keys.length >= MAX_CLIENT_KEYS) throw tooManyKeys();
    return { workspace: { ...current, keys: [...current.keys, key] }, result: null };
  });
  return { key: toClientKeyDto(key, workspace.providers), jwksUrl: jwksUrlOf(consoleOrigin(request), workspace) };
});

function tooManyKeys(): HttpError {
  return new HttpError(409, 'conflict', `Your JWKS holds ${MAX_CLIENT_KEYS} keys, the most it keeps.`, { hint: 'Delete a key no provider uses.' });
}
