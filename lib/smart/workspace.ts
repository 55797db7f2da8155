import 'server-only';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { HttpError } from '@/lib/http/errors';
import type { SessionOwner } from '@/lib/session/cookie';
import type { SessionVault } from '@/lib/session/vault';
import { publicJwks, storedClientKeySchema } from './client-keys';
import { customProviderRecordSchema } from './custom-provider';
import { JWKS_ID_PATTERN, jwksPathOf } from '@/lib/contract/route-params';

/**
 * A user's workspace: the providers they added and the keys their clients sign with (issue #8). Kept server-side
 * in the vault under the user (the signed-in user's hash; `local` when sign-in is off and the console is
 * localhost-only), so it outlives a session. Its public JWKS is published under a random id (`/jwks/{id}`).
 */

export const MAX_CUSTOM_PROVIDERS = 20;
export const MAX_CLIENT_KEYS = 10;
const LOCK_TTL_MS = 10_000;
const LOCK_WAIT_MS = 10_000;

export const workspaceSchema = z.object({
  jwksId: z.string().regex(JWKS_ID_PATTERN),
  keys: z.array(storedClientKeySchema),
  providers: z.array(customProviderRecordSchema),
});
export type Workspace = z.infer<typeof workspaceSchema>;

export function workspaceOwner(owner: SessionOwner | null): string {
  return owner?.user ?? 'local';
}

export function jwksUrlOf(publicOrigin: string, workspace: Pick<Workspace, 'jwksId'>): string {
  return `${publicOrigin}${jwksPathOf(workspace.jwksId)}`;
}

/** The workspace, or an empty one (not yet saved) when the user has none. */
export async function readWorkspace(vault: SessionVault, owner: string): Promise<Workspace> {
  return (await vault.getWorkspace(owner, workspaceSchema)) ?? { jwksId: newJwksId(), keys: [], providers: [] };
}

/**
 * Reads, changes and writes back the workspace under its lock, then republishes the public JWKS. The change may
 * throw an HttpError to refuse; nothing is written then.
 */
export async function updateWorkspace<T>(
  vault: SessionVault,
  owner: string,
  change: (workspace: Workspace) => Promise<{ workspace: Workspace; result: T }> | { workspace: Workspace; result: T },
): Promise<{ workspace: Workspace; result: T }> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let lock = await vault.lockWorkspace(owner, LOCK_TTL_MS);
  while (!lock) {
    if (Date.now() > deadline) throw new HttpError(409, 'conflict', 'Your workspace is being changed in another tab. Try again.');
    await new Promise((resolve) => setTimeout(resolve, 50));
    lock = await vault.lockWorkspace(owner, LOCK_TTL_MS);
  }
  try {
    const current = await readWorkspace(vault, owner);
    const changed = await change(structuredClone(current));
    const workspace = workspaceSchema.parse(changed.workspace);
    await vault.putWorkspace(owner, workspace);
    await vault.putPublishedJwks(workspace.jwksId, publicJwks(workspace.keys));
    return { workspace, result: changed.result };
  } finally {
    await lock.release();
  }
}

/** The JWKS URL must be stable from the first time it is shown: a workspace is saved when first asked for it. */
export async function ensureWorkspace(vault: SessionVault, owner: string): Promise<Workspace> {
  const existing = await vault.getWorkspace(owner, workspaceSchema);
  if (existing) return existing;
  return (await updateWorkspace(vault, owner, (workspace) => ({ workspace, result: null }))).workspace;
}

export function newCustomProviderId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `custom-${Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join('')}`;
}

function newJwksId(): string {
  return randomBytes(16).toString('base64url');
}
