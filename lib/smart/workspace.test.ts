import { describe, expect, it } from 'vitest';
import { SessionVault } from '@/lib/session/vault';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { HttpError } from '@/lib/http/errors';
import { generateClientKey } from './client-keys';
import { ensureWorkspace, readWorkspace, updateWorkspace, workspaceOwner, workspaceSchema } from './workspace';

const passwords = { 1: 'p'.repeat(32) };

function newVault() {
  const store = new MemoryVaultStore();
  return { store, vault: new SessionVault(store, passwords) };
}

describe('workspace', () => {
  it('is per user: the signed-in user’s hash, or "local" when sign-in is off', () => {
    expect(workspaceOwner(null)).toBe('local');
    expect(workspaceOwner({ user: 'abc', signedInAt: 1 })).toBe('abc');
  });

  it('keeps two users apart and publishes each one’s public keys under its own random JWKS id', async () => {
    const { vault } = newVault();
    const key = await generateClientKey('ES384');
    await updateWorkspace(vault, 'alice', (w) => ({ workspace: { ...w, keys: [key] }, result: null }));
    const alice = await readWorkspace(vault, 'alice');
    const bob = await ensureWorkspace(vault, 'bob');
    expect(alice.keys.map((k) => k.kid)).toEqual([key.kid]);
    expect(bob.keys).toEqual([]);
    expect(bob.jwksId).not.toBe(alice.jwksId);
    const published = (await vault.getPublishedJwks(alice.jwksId)) as { keys: Record<string, unknown>[] };
    expect(published.keys.map((k) => k.kid)).toEqual([key.kid]);
    expect(published.keys[0]).not.toHaveProperty('d');
    expect(await vault.getPublishedJwks(bob.jwksId)).toEqual({ keys: [] });
  });

  it('SECURITY 1: stores the private key sealed: the store never holds it in the clear', async () => {
    const { store, vault } = newVault();
    const key = await generateClientKey('ES384');
    await updateWorkspace(vault, 'alice', (w) => ({ workspace: { ...w, keys: [key] }, result: null }));
    const raw = await store.get('workspace:alice');
    expect(raw).not.toBeNull();
    expect(raw).not.toContain(String(key.privateJwk.d));
    expect(raw).not.toContain(key.kid);
  });

  it('keeps the JWKS URL stable from the first time it is shown', async () => {
    const { vault } = newVault();
    const first = await ensureWorkspace(vault, 'carol');
    const again = await ensureWorkspace(vault, 'carol');
    expect(again.jwksId).toBe(first.jwksId);
  });

  it('writes nothing when a change refuses, and serialises concurrent changes', async () => {
    const { vault } = newVault();
    await expect(
      updateWorkspace(vault, 'dave', () => {
        throw new HttpError(409, 'conflict', 'no');
      }),
    ).rejects.toThrow('no');
    expect(await vault.getWorkspace('dave', workspaceSchema)).toBeNull();
    const [a, b] = await Promise.all([generateClientKey('ES384'), generateClientKey('ES384')]);
    await Promise.all([a, b].map((key) => updateWorkspace(vault, 'dave', (w) => ({ workspace: { ...w, keys: [...w.keys, key] }, result: null }))));
    expect((await readWorkspace(vault, 'dave')).keys).toHaveLength(2);
  });
});
