import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';
import type { PasswordMap } from './secret';

/**
 * The session cookie holds only a random handle, its creation time and, with console sign-in, the sign-in it
 * belongs to, sealed with iron. Tokens never go in it (SECURITY.md: cookie holds an id, not tokens). The handle opens
 * the session only while the vault says so: logout ends it, and the OAuth callback and a sign-in replace it
 * (SECURITY.md rule 16, ASVS 7.2.4 / 7.4.1), so an old copy of the cookie opens nothing.
 */

export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const COOKIE_NAME = 'console_session';
/** Under https the `__Host-` prefix pins the cookie to this host, `Path=/` and `Secure`. */
const SECURE_COOKIE_NAME = '__Host-console_session';

const sessionOwnerSchema = z.object({
  /** sha256 of the signed-in user's issuer and subject (lib/auth/session-binding.ts). */
  user: z.string(),
  /** When that user signed in: a later sign-in does not reopen this session. */
  signedInAt: z.number(),
});
export type SessionOwner = z.infer<typeof sessionOwnerSchema>;

const sessionCookieSchema = z.object({
  /** The session's bearer credential; the vault maps it to the session id its data is kept under. */
  handle: z.string().regex(/^[A-Za-z0-9_-]{22,}$/),
  createdAt: z.number(),
  /** Absent when console sign-in is off. */
  owner: sessionOwnerSchema.optional(),
});
export type SessionCookie = z.infer<typeof sessionCookieSchema>;

export function newSessionCookie(now = Date.now(), owner?: SessionOwner): SessionCookie {
  return { handle: newRandomId(), createdAt: now, ...(owner ? { owner } : {}) };
}

/** 144 random bits, URL-safe: a session id or a cookie handle. */
export function newRandomId(): string {
  return randomBytes(18).toString('base64url');
}

/** What the page may know of a session id: enough to tell two sessions apart, not enough to be one. */
export function sessionTag(sid: string): string {
  return createHash('sha256').update(sid).digest('base64url').slice(0, 8);
}

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_COOKIE_NAME : COOKIE_NAME;
}

/** Reads the session from a Cookie header. Tampered, expired or retired-password cookies read as none. */
export async function readSessionCookie(
  cookieHeader: string | null,
  secure: boolean,
  passwords: PasswordMap,
): Promise<SessionCookie | null> {
  const sealed = parseCookieHeader(cookieHeader).get(sessionCookieName(secure));
  if (!sealed) return null;
  const known = unsealedCookies.get(sealed, passwords);
  if (known !== undefined) return known;
  try {
    const data = await unsealData(sealed, { password: passwords, ttl: SESSION_TTL_SECONDS });
    const parsed = sessionCookieSchema.safeParse(data);
    if (!parsed.success) return null;
    unsealedCookies.set(sealed, passwords, parsed.data);
    return parsed.data;
  } catch {
    return null;
  }
}

/**
 * Cookies already unsealed and verified, so the same cookie on the next request costs a lookup instead of two key
 * derivations, a decryption and a MAC (a third of the BFF's crypto per FHIR call). Only verified cookies get in;
 * an entry holds until the seal's own expiry and only under the password that opened it.
 */
const unsealedCookies = (() => {
  const MAX_ENTRIES = 10_000;
  const entries = new Map<string, { session: SessionCookie; password: string; expiresAt: number }>();
  /** Iron's seal: `Fe26.2*id*salt*iv*data*expiration*hmacSalt*hmac`. */
  const parse = (sealed: string) => {
    const [, passwordId = '', , , , expiration = ''] = sealed.split('*');
    return { passwordId: passwordId || '1', expiresAt: expiration ? Number(expiration) : Number.POSITIVE_INFINITY };
  };
  return {
    get(sealed: string, passwords: PasswordMap): SessionCookie | undefined {
      const entry = entries.get(sealed);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now() || passwords[parse(sealed).passwordId] !== entry.password) {
        entries.delete(sealed);
        return undefined;
      }
      return entry.session;
    },
    set(sealed: string, passwords: PasswordMap, session: SessionCookie): void {
      const { passwordId, expiresAt } = parse(sealed);
      const password = passwords[passwordId];
      if (password === undefined || Number.isNaN(expiresAt)) return;
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      entries.set(sealed, { session, password, expiresAt });
    },
  };
})();

/** A Set-Cookie value for the session: HttpOnly, SameSite=Lax, Path=/, no Domain, Secure under https. */
export async function serializeSessionCookie(
  session: SessionCookie,
  secure: boolean,
  passwords: PasswordMap,
): Promise<string> {
  const sealed = await sealData(session, { password: passwords, ttl: SESSION_TTL_SECONDS });
  const attributes = [
    `${sessionCookieName(secure)}=${sealed}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${SESSION_TTL_SECONDS}`,
  ];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function clearSessionCookie(secure: boolean): string {
  const attributes = [`${sessionCookieName(secure)}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** A Cookie header's cookies by name; the first of a repeated name wins. */
export function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * The transaction cookie of an authorization run: the state it expects back, sealed, SameSite=Lax so it
 * survives the redirect chain that starts at the provider (SECURITY.md: pending flows), 10 minutes.
 */
const TRANSACTION_TTL_SECONDS = 10 * 60;
const transactionSchema = z.object({ providerId: z.string(), state: z.string() });

function transactionCookieName(providerId: string, secure: boolean): string {
  return `${secure ? '__Host-' : ''}console_tx_${providerId}`;
}

export async function serializeTransactionCookie(providerId: string, state: string, secure: boolean, passwords: PasswordMap): Promise<string> {
  const sealed = await sealData({ providerId, state }, { password: passwords, ttl: TRANSACTION_TTL_SECONDS });
  const attributes = [`${transactionCookieName(providerId, secure)}=${sealed}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${TRANSACTION_TTL_SECONDS}`];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** The state this browser's run for the provider expects; null when absent, expired or tampered. */
export async function readTransactionCookie(cookieHeader: string | null, providerId: string, secure: boolean, passwords: PasswordMap): Promise<string | null> {
  const sealed = parseCookieHeader(cookieHeader).get(transactionCookieName(providerId, secure));
  if (!sealed) return null;
  try {
    const parsed = transactionSchema.safeParse(await unsealData(sealed, { password: passwords, ttl: TRANSACTION_TTL_SECONDS }));
    return parsed.success && parsed.data.providerId === providerId ? parsed.data.state : null;
  } catch {
    return null;
  }
}

export function clearTransactionCookie(providerId: string, secure: boolean): string {
  const attributes = [`${transactionCookieName(providerId, secure)}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}
