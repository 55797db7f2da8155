import { describe, expect, it } from 'vitest';
import { sealVaultEntry, unsealVaultEntry } from './vault-seal';

const old = { '1': 'o'.repeat(32) };
const rotated = { '2': 'n'.repeat(32), '1': 'o'.repeat(32) };
const now = 1_700_000_000_000;

describe('vault entry sealing', () => {
  it('round-trips a value and hides it', () => {
    const sealed = sealVaultEntry('vault:sid:token:bcda', { accessToken: 'secret-token-value' }, old, now + 60_000);
    expect(sealed).toMatch(/^v1\.1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('secret-token-value');
    expect(unsealVaultEntry('vault:sid:token:bcda', sealed, old, now)).toEqual({ accessToken: 'secret-token-value' });
  });

  it('does not open under another store key (a token moved to another session)', () => {
    const sealed = sealVaultEntry('vault:sid-a:token:bcda', { accessToken: 'a' }, old, now + 60_000);
    expect(unsealVaultEntry('vault:sid-b:token:bcda', sealed, old, now)).toBeNull();
  });

  it('does not open once altered, expired, or under a password it was not sealed with', () => {
    const sealed = sealVaultEntry('k', { n: 1 }, old, now + 60_000);
    const parts = sealed.split('.');
    const flipped = [...parts.slice(0, 4), `${parts[4]!.slice(0, -2)}${parts[4]!.endsWith('A') ? 'B' : 'A'}A`].join('.');
    expect(unsealVaultEntry('k', flipped, old, now)).toBeNull();
    expect(unsealVaultEntry('k', sealed, old, now + 60_000)).toBeNull();
    expect(unsealVaultEntry('k', sealed, { '1': 'x'.repeat(32) }, now)).toBeNull();
    expect(unsealVaultEntry('k', 'Fe26.2**not-ours', old, now)).toBeNull();
    expect(unsealVaultEntry('k', `${sealed}.extra`, old, now)).toBeNull();
  });

  it('seals with the newest password and still opens entries of the older one after a rotation', () => {
    const before = sealVaultEntry('k', 'old entry', old, now + 60_000);
    const after = sealVaultEntry('k', 'new entry', rotated, now + 60_000);
    expect(after.split('.')[1]).toBe('2');
    expect(unsealVaultEntry('k', before, rotated, now)).toBe('old entry');
    expect(unsealVaultEntry('k', after, rotated, now)).toBe('new entry');
    // Once the old password is retired, its entries no longer open.
    expect(unsealVaultEntry('k', before, { '2': rotated['2'] }, now)).toBeNull();
  });
});
