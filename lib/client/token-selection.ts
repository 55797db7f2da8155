import type { TokenDto } from '@/lib/contract/schemas';

/** The newest token of the session for a provider and environment, if any. */
export function pickSessionToken(
  tokens: readonly TokenDto[],
  providerId: string,
  environmentId: string,
): TokenDto | undefined {
  let newest: TokenDto | undefined;
  for (const token of tokens) {
    if (token.providerId !== providerId || token.environmentId !== environmentId) continue;
    if (!newest || token.issuedAt > newest.issuedAt) newest = token;
  }
  return newest;
}

/** The session's token for a provider (the BFF keeps at most one per provider; the newest wins if not). */
export function findProviderToken(tokens: readonly TokenDto[], providerId: string): TokenDto | undefined {
  let newest: TokenDto | undefined;
  for (const token of tokens) {
    if (token.providerId !== providerId) continue;
    if (!newest || token.issuedAt > newest.issuedAt) newest = token;
  }
  return newest;
}

/**
 * Whether a token belongs to a selection: same environment and same credential set (`presetId` undefined for the
 * user's own credentials). The FHIR proxy attaches a token only to requests of its own flow, so a token of another
 * preset (1upHealth Patient Access vs client credentials) is not this selection's.
 */
export function tokenMatchesSelection(token: TokenDto, environmentId: string, presetId: string | undefined): boolean {
  return token.environmentId === environmentId && token.presetId === presetId;
}

/** Two DTOs describe the same token when provider, environment and fingerprint agree. */
export function isSameToken(a: TokenDto, b: TokenDto): boolean {
  return (
    a.providerId === b.providerId &&
    a.environmentId === b.environmentId &&
    a.fingerprint.hmacPrefix === b.fingerprint.hmacPrefix &&
    a.fingerprint.length === b.fingerprint.length
  );
}

/** A token DTO with the clock offset measured when it arrived. */
export interface ClockedToken {
  token: TokenDto;
  clockOffsetMs: number;
}
