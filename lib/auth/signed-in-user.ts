import 'server-only';
import { decode } from 'next-auth/jwt';
import { z } from 'zod';
import { parseCookieHeader } from '@/lib/session/cookie';
import type { ConsoleAuthConfig } from './config';

/** Who is signed in, as the console's next-auth session JWT says (written by the jwt callback at sign-in). */
export const signedInUserSchema = z.object({
  /** The issuer the subject is unique within: the OIDC issuer, or https://github.com. */
  issuer: z.string().min(1),
  subject: z.string().min(1),
  /** next-auth's provider id: `oidc` or `github`. */
  providerId: z.string().min(1),
  name: z.string().nullish(),
  email: z.string().nullish(),
  /** Milliseconds; each sign-in has its own, and the console session is bound to it. */
  signedInAt: z.number(),
});
export type SignedInUser = z.infer<typeof signedInUserSchema>;

type EnabledConfig = Extract<ConsoleAuthConfig, { enabled: true }>;

/** next-auth's session cookie name: `__Secure-` under https (next-auth's own rule, from `useSecureCookies`). */
export function sessionTokenCookieName(config: EnabledConfig): string {
  return `${config.secureCookies ? '__Secure-' : ''}next-auth.session-token`;
}

/**
 * The signed-in user of a request, or null: no cookie, a JWT that does not decrypt under our secret, an expired
 * one, or one without the console's claims. Only the cookie counts (next-auth's getToken would also take an
 * `Authorization: Bearer` header, which no page of ours sends).
 */
export async function readSignedInUser(cookieHeader: string | null, config: EnabledConfig): Promise<SignedInUser | null> {
  const name = sessionTokenCookieName(config);
  const cookies = parseCookieHeader(cookieHeader);
  // next-auth splits a JWT over 4 KB into `name.0`, `name.1`, …
  const chunks = [...cookies.keys()].filter((key) => key === name || /^\.\d+$/.test(key.slice(name.length)) && key.startsWith(name));
  chunks.sort((a, b) => chunkIndex(a, name) - chunkIndex(b, name));
  const token = chunks.map((key) => cookies.get(key)).join('');
  if (!token) return null;
  try {
    const claims = await decode({ token, secret: config.secret });
    const parsed = signedInUserSchema.safeParse(claims);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function chunkIndex(key: string, name: string): number {
  return key === name ? -1 : Number(key.slice(name.length + 1));
}
