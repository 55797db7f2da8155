import type { EndedTokenDto, TokenDto } from '@/lib/contract/schemas';

/**
 * A token's life as the page shows it, and what auto-renew should do next. Pure: the page runs it every tick on
 * the server's clock; tests run it on a fake one.
 */

export type LifecycleEventType = 'issued' | 'reused' | 'refreshed' | 'rotated' | 'refused' | 'expired' | 'revoked';

export interface LifecycleEvent {
  at: number;
  type: LifecycleEventType;
  detail: string;
  exchangeId?: string;
}

/** The token's history: issued, each reuse, each refresh (rotated or not), and expiry once it has passed. */
export function lifecycleOf(token: TokenDto, now: number): LifecycleEvent[] {
  const events = historyEvents(token.credentialLabel, token.issuedAt, token.reuses ?? [], token.refresh?.history ?? [], token.exchangeId);
  if (token.refusal) events.push({ at: token.refusal.at, type: 'refused', detail: `The provider refused it: “${token.refusal.reason}”`, exchangeId: token.refusal.exchangeId });
  if (now >= token.expiresAt) events.push({ at: token.expiresAt, type: 'expired', detail: 'The access token expired.' });
  return events.sort((a, b) => a.at - b.at);
}

/** The history of a token the provider ended, closing with the refusal that ended it. */
export function lifecycleOfEnded(ended: EndedTokenDto): LifecycleEvent[] {
  const events = historyEvents(ended.credentialLabel, ended.issuedAt, ended.reuses, ended.refreshHistory);
  events.push({ at: ended.endedAt, type: 'revoked', detail: `${ended.reason} The tokens were dropped.` });
  return events.sort((a, b) => a.at - b.at);
}

function historyEvents(
  credentialLabel: string,
  issuedAt: number,
  reuses: number[],
  refreshes: { at: number; usedFingerprint: string; newFingerprint: string | null }[],
  exchangeId?: string,
): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  const firstRefresh = refreshes[0];
  // After a refresh the DTO describes the newest token; the grant's first token dates from before the first refresh.
  events.push(
    firstRefresh
      ? { at: firstRefresh.at, type: 'issued', detail: `Issued to ${credentialLabel}, then refreshed.` }
      : { at: issuedAt, type: 'issued', detail: `Issued to ${credentialLabel}.`, exchangeId },
  );
  for (const refresh of refreshes) {
    events.push({
      at: refresh.at,
      type: refresh.newFingerprint ? 'rotated' : 'refreshed',
      detail: refresh.newFingerprint
        ? `Refreshed with hmac:${refresh.usedFingerprint}…, which is now retired; hmac:${refresh.newFingerprint}… replaces it.`
        : `Refreshed with hmac:${refresh.usedFingerprint}…; the provider kept the same refresh token.`,
    });
  }
  for (const at of reuses) events.push({ at, type: 'reused', detail: 'Reused instead of minting a new one.' });
  return events;
}

export type RenewalAction =
  | { kind: 'none'; reason: string }
  | { kind: 'refresh'; reason: string }
  | { kind: 'mint'; reason: string }
  | { kind: 'reauthorize'; reason: string };

/** Renew this long before expiry, so a request in flight does not meet an expired token. */
export const RENEW_BEFORE_MS = 60_000;

/**
 * What auto-renew does for a token now, by the provider's rules: refresh where a refresh token exists (keeping
 * the client authentication), mint a new client-credentials token only when the live one is about to expire
 * (Candid and BCDA ask for reuse), ask to re-authorize when nothing else can work — and after a failed attempt,
 * nothing until the user acts (never a loop).
 */
export function renewalAction(token: TokenDto, now: number, state: { lastAttemptFailed: boolean }): RenewalAction {
  if (state.lastAttemptFailed) return { kind: 'none', reason: 'The last renewal failed; auto-renew waits for you.' };
  // A token the provider refused is as good as expired, whatever its expiry says.
  const remaining = token.refusal ? 0 : token.expiresAt - now;
  if (remaining > RENEW_BEFORE_MS) return { kind: 'none', reason: `Live for ${Math.round(remaining / 1000)} s more.` };
  const ending = token.refusal ? 'Refused by the provider' : 'About to expire';
  if (token.refresh) return { kind: 'refresh', reason: `${ending} and a refresh token is held: refreshing.` };
  if (token.grantType === 'client_credentials' && token.presetId) {
    return { kind: 'mint', reason: `${ending}; client-credentials tokens are not refreshed, so a new one is minted.` };
  }
  if (token.grantType === 'client_credentials') {
    return { kind: 'reauthorize', reason: `${ending}; your own credentials are not kept, so enter the secret and get a new token.` };
  }
  return { kind: 'reauthorize', reason: `${ending} and there is no refresh token: authorize again.` };
}
