import 'server-only';
import { randomBytes } from 'node:crypto';
import { resolveSessionPasswords, SessionSecretError } from '@/lib/session/secret';
import { deriveFingerprintKey } from './fingerprint';

let memo: { raw: string | undefined; key: Buffer } | undefined;

/**
 * The key the server fingerprints secrets with now: derived from the password SESSION_SECRET seals with (the highest
 * id of a rotation map). Rotating SESSION_SECRET changes every fingerprint from then on; a refresh history recorded
 * before keeps the fingerprints it was recorded with, so an old entry no longer matches the token it named.
 * Without any session secret (a production misconfiguration the startup check refuses) the key is random per
 * process: fingerprints stay keyed, only unstable across restarts.
 */
export function fingerprintKey(): Buffer {
  const raw = process.env.SESSION_SECRET;
  if (memo && memo.raw === raw) return memo.key;
  let key: Buffer;
  try {
    const passwords = resolveSessionPasswords();
    const current = Math.max(...Object.keys(passwords).map(Number));
    key = deriveFingerprintKey(passwords[String(current)]!);
  } catch (error) {
    if (!(error instanceof SessionSecretError)) throw error;
    key = randomBytes(32);
  }
  memo = { raw, key };
  return key;
}
