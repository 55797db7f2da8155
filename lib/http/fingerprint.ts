import 'server-only';
import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Keyed fingerprints of secrets (SECURITY.md rule 15): HMAC-SHA256 under a server key, never a plain hash. A plain
 * hash prefix of a token whose ends are shown can be brute-forced offline (issue #13: an 18-character token came back
 * in 2.4 s); without the key, a fingerprint says nothing about the token.
 *
 * No `server-only` here: the e2e suite imports it to compute fingerprints with the session secret it configured.
 * The server's key comes from `fingerprint-key.ts`.
 */

/** HKDF info of the fingerprint key: its own, so the key differs from the cookie, vault and next-auth keys. */
const FINGERPRINT_KEY_INFO = 'health-oauth-console token fingerprint v1';
/** 48 bits tell a session's tokens apart at a glance; being keyed, they help no one guess a token. */
const PREFIX_HEX_DIGITS = 12;

export interface Fingerprint {
  /** The first 12 hex digits of HMAC-SHA256(key, secret). */
  hmacPrefix: string;
  length: number;
}

/**
 * The fingerprint key for a SESSION_SECRET password: HKDF-SHA256 with an info string of its own (RFC 5869), so one
 * configured secret yields independent keys and none of them is the password itself.
 */
export function deriveFingerprintKey(sessionPassword: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionPassword, '', FINGERPRINT_KEY_INFO, 32));
}

/** A stable, non-reversible name for a secret under `key`: an HMAC-SHA256 prefix and the secret's length. */
export function keyedFingerprint(secret: string, key: Uint8Array): Fingerprint {
  return { hmacPrefix: createHmac('sha256', key).update(secret).digest('hex').slice(0, PREFIX_HEX_DIGITS), length: secret.length };
}
