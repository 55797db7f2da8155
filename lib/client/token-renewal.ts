import { getEffectiveGrant, type FlowTarget } from './effective-flow';
import type { ProviderDto, TokenDto } from '@/lib/contract/schemas';
import { tokenMatchesSelection } from './token-selection';

/**
 * How to get a new token for a selection after the provider answered 401, by the provider's rules: refresh when a
 * refresh token is held; mint again for a preset's client credentials (BCDA: a job belongs to the ACO, so a new
 * token of the same credential set reads the same files); otherwise the user has to act.
 */
export type RenewalPlan =
  | { kind: 'refresh' }
  | { kind: 'mint'; environmentId: string; presetId: string }
  | { kind: 'manual'; reason: string };

export function planTokenRenewal(provider: ProviderDto, target: Pick<FlowTarget, 'environmentId' | 'presetId'>, token: TokenDto | undefined): RenewalPlan {
  const own = token && token.providerId === provider.id && tokenMatchesSelection(token, target.environmentId, target.presetId) ? token : undefined;
  if (own?.refresh) return { kind: 'refresh' };
  const grant = getEffectiveGrant(provider, target.presetId);
  if (grant.grantType === 'client_credentials' && target.presetId !== undefined) {
    return { kind: 'mint', environmentId: target.environmentId, presetId: target.presetId };
  }
  if (grant.grantType === 'client_credentials') {
    return { kind: 'manual', reason: 'Your own credentials are not kept: enter the secret above, get a new token, then try again.' };
  }
  return { kind: 'manual', reason: 'There is no refresh token: authorize again above, then try again.' };
}
