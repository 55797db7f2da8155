import type { TokenDto } from './schemas';

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

/** Two DTOs describe the same token when provider, environment and fingerprint agree. */
export function isSameToken(a: TokenDto, b: TokenDto): boolean {
  return (
    a.providerId === b.providerId &&
    a.environmentId === b.environmentId &&
    a.fingerprint.sha256Prefix === b.fingerprint.sha256Prefix &&
    a.fingerprint.length === b.fingerprint.length
  );
}
