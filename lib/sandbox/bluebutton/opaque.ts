import 'server-only';
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random token in django-oauth-toolkit's format: 30 alphanumerics (oauthlib's `generate_token`), about 178
 * bits. Rejection sampling keeps every character equally likely.
 */
export function randomOpaqueToken(length = 30): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      // 248 = 4 × 62: bytes above it would favour the first characters.
      if (byte < 248 && out.length < length) out += alphabet.charAt(byte % 62);
    }
  }
  return out;
}
