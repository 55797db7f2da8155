'use client';

import { useCallback, useEffect, useRef } from 'react';
import type { FlowTarget } from './effective-flow';
import { useGetToken, useRefreshToken, useSession } from './hooks';
import type { ProviderDto } from '@/lib/contract/schemas';
import { planTokenRenewal } from './token-renewal';
import { findProviderToken } from './token-selection';

/**
 * A function that gets a new token for the selection (see planTokenRenewal) and resolves once the session holds
 * it; it rejects with a sentence for the user when only the user can renew. Stable across renders.
 */
export function useTokenRenewal(provider: ProviderDto, target: Pick<FlowTarget, 'environmentId' | 'presetId'>): () => Promise<void> {
  const session = useSession();
  const mint = useGetToken();
  const refresh = useRefreshToken();
  const current = { provider, target, session: session.data, mint: mint.mutateAsync, refresh: refresh.mutateAsync };
  const latest = useRef(current);
  useEffect(() => {
    latest.current = current;
  });

  return useCallback(async () => {
    const { provider: p, target: t, session: s, mint: mintToken, refresh: refreshToken } = latest.current;
    const plan = planTokenRenewal(p, t, s ? findProviderToken(s.tokens, p.id) : undefined);
    if (plan.kind === 'manual') throw new Error(plan.reason);
    if (plan.kind === 'refresh') {
      await refreshToken({ providerId: p.id });
      return;
    }
    await mintToken({
      providerId: p.id,
      input: { environmentId: plan.environmentId, credential: { kind: 'preset', presetId: plan.presetId }, forceNew: true },
    });
  }, []);
}
