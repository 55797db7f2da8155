import 'server-only';
/** RFC 7636 §4.6: `BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge`. */
export async function verifyS256(codeVerifier: string, codeChallenge: string): Promise<boolean> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier)));
  return Buffer.from(digest).toString('base64url') === codeChallenge;
}
