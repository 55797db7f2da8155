import 'server-only';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { PasswordMap } from './secret';

/**
 * Sealing of vault entries: AES-256-GCM under a key derived (HKDF-SHA256) once per SESSION_SECRET password, with
 * the entry's store key as associated data, so a sealed token copied to another session's key does not open.
 * Synchronous and without per-entry key derivation: iron's seal costs two PBKDF2 runs on the thread pool per
 * entry, and at 32 concurrent FHIR calls that queue added tens of milliseconds to each. The session cookie stays
 * iron (iron-session); this is only the server-side store.
 *
 * Format: `v1.<password id>.<iv>.<tag>.<ciphertext>`, base64url; the plaintext is `{"v": value, "exp": ms}`.
 */

const VERSION = 'v1';
const derivedKeys = new Map<string, Buffer>();

function keyFor(password: string): Buffer {
  let key = derivedKeys.get(password);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', password, 'health-oauth-console vault', 'vault entry v1', 32));
    derivedKeys.set(password, key);
  }
  return key;
}

/** The password that seals: the highest id, as iron's password maps do. */
function newestPassword(passwords: PasswordMap): [string, string] {
  const id = Object.keys(passwords).sort((a, b) => Number(b) - Number(a))[0];
  const password = id === undefined ? undefined : passwords[id];
  if (id === undefined || password === undefined) throw new Error('No vault password configured.');
  return [id, password];
}

export function sealVaultEntry(storeKey: string, value: unknown, passwords: PasswordMap, expiresAt: number): string {
  const [id, password] = newestPassword(passwords);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(password), iv);
  cipher.setAAD(Buffer.from(storeKey, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify({ v: value, exp: expiresAt }), 'utf8'), cipher.final()]);
  return [VERSION, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** The value, or null when the entry was sealed for another key, under an unknown password, altered, or expired. */
export function unsealVaultEntry(storeKey: string, sealed: string, passwords: PasswordMap, now: number): unknown {
  return openVaultEntry(storeKey, sealed, passwords, now)?.value ?? null;
}

/** {@link unsealVaultEntry}, with the expiry the entry was sealed with. */
export function openVaultEntry(storeKey: string, sealed: string, passwords: PasswordMap, now: number): { value: unknown; expiresAt: number } | null {
  const [version, id, iv, tag, ciphertext, extra] = sealed.split('.');
  if (version !== VERSION || !id || !iv || !tag || ciphertext === undefined || extra !== undefined) return null;
  const password = passwords[id];
  if (password === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(password), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(storeKey, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    const entry = JSON.parse(plaintext) as { v?: unknown; exp?: unknown };
    if (typeof entry.exp !== 'number' || entry.exp <= now) return null;
    return { value: entry.v ?? null, expiresAt: entry.exp };
  } catch {
    return null;
  }
}
