/**
 * Scope strings: space-delimited, case-sensitive tokens (RFC 6749 §3.3). Order carries no meaning; a repeated
 * token counts once.
 */
export function parseScope(scope: string | null | undefined): string[] {
  if (!scope) return [];
  return [...new Set(scope.split(/\s+/).filter(Boolean))];
}

export interface ScopeDiff {
  /** What the token response granted, in its order. */
  granted: string[];
  /** Requested but not granted: requests needing them will be refused (403). */
  missing: string[];
  /** Granted without being asked for (a server default, an implied scope). */
  extra: string[];
}

/**
 * Requested against granted scopes. RFC 6749 §3.3 lets the server grant less than asked (Blue Button drops
 * `patient/Patient.rs` and `profile` when the beneficiary refuses to share demographics) and says so in `scope`.
 */
export function diffScopes(requested: readonly string[], granted: readonly string[]): ScopeDiff {
  const grantedSet = new Set(granted);
  const requestedSet = new Set(requested);
  return {
    granted: [...new Set(granted)],
    missing: [...requestedSet].filter((scope) => !grantedSet.has(scope)),
    extra: [...grantedSet].filter((scope) => !requestedSet.has(scope)),
  };
}
