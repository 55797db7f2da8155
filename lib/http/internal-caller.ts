import 'server-only';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { builtinOrigin } from '@/lib/providers/resolve';
import { resolveSessionPasswords, type PasswordMap } from '@/lib/session/secret';

/**
 * How the console server proves itself to its own built-in sandboxes when console sign-in is on (SECURITY.md
 * rule 16): with sign-in, a sandbox answers a signed-in user's browser (its login pages) and the console server
 * (token, FHIR and download calls), no one else. The proof is a value derived from SESSION_SECRET, so every
 * instance sharing the secret is recognised; it is added as the request leaves for the built-in origin and is
 * never recorded in the timeline.
 */
export const INTERNAL_CALLER_HEADER = 'x-console-internal-caller';

const proofs = new WeakMap<PasswordMap, Map<string, Buffer>>();

function proofsOf(passwords: PasswordMap): Map<string, Buffer> {
  let byId = proofs.get(passwords);
  if (!byId) {
    byId = new Map(
      Object.entries(passwords).map(([id, password]) => {
        const key = Buffer.from(hkdfSync('sha256', password, '', 'health-oauth-console built-in sandbox caller', 32));
        return [id, createHmac('sha256', key).update('console-server').digest()];
      }),
    );
    proofs.set(passwords, byId);
  }
  return byId;
}

/** The header to add to a request for `url`: only when it goes to the console's own built-in sandboxes. */
export function internalCallerHeaders(url: URL, passwords: PasswordMap = resolveSessionPasswords()): [string, string][] {
  if (url.origin !== builtinOrigin()) return [];
  const byId = proofsOf(passwords);
  const current = String(Math.max(...[...byId.keys()].map(Number)));
  return [[INTERNAL_CALLER_HEADER, byId.get(current)!.toString('base64url')]];
}

/** Whether a request comes from a console server holding this SESSION_SECRET (any password of its rotation map). */
export function isInternalCaller(request: Request, passwords: PasswordMap = resolveSessionPasswords()): boolean {
  const presented = request.headers.get(INTERNAL_CALLER_HEADER);
  if (!presented) return false;
  const given = Buffer.from(presented, 'base64url');
  return [...proofsOf(passwords).values()].some((proof) => proof.length === given.length && timingSafeEqual(proof, given));
}
