'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ApiClientError } from './api-client-error';
import type { FlowTarget } from './effective-flow';
import { postRefresh, postToken, type TokenRequestInput, type WithClock } from './fetchers';
import { mergeSessionAnswer, newestExchangeId } from './session-answer';
import { queryKeys } from './query-keys';
import { planTokenRenewal } from './token-renewal';
import { findProviderToken, isSameToken, tokenMatchesSelection, type ClockedToken } from './token-selection';
import type { ProviderDto, SessionDto, TokenDto, TokenResponseDto } from '@/lib/contract/schemas';

/**
 * The page's one owner of token state. The tokens live in one place, the cached session (`queryKeys.session.all`):
 * a token or refresh answer carries the session and replaces it (one request per click, no session refetch). The
 * owner, made once by the workbench and handed down by context, holds the only token mutations — Get token, Refresh,
 * and the renewals that auto-renew and a Bulk Data retry ask for — each tagged with who asked, so an error shows
 * where it was asked.
 */

/** Who asked for a token: the person (the form, Refresh now), auto-renew, or a Bulk Data retry after a 401. */
/** Who asked: the person, auto-renew before expiry, a retry after a 401, or a demo script's step. */
export type TokenCause = 'user' | 'auto-renew' | 'retry' | 'demo';
type RenewTarget = Pick<FlowTarget, 'environmentId' | 'presetId'>;

export interface TokenOwner {
  /** The session's token for the selection, with the clock offset of the answer it came in. */
  token: ClockedToken | undefined;
  /** The session's token for the provider, whatever its environment or credential set. */
  providerToken: TokenDto | undefined;
  /** What the person's last Get token for the selection answered: issued, or reused and why (the form's notice). */
  lastAnswer: TokenDto | undefined;
  /** Whether that answer was the shown token, handed out again instead of a new one. */
  shownWasReused: boolean;
  getToken(input: TokenRequestInput): void;
  refresh(): void;
  /**
   * Gets a new token for `target` by the provider's rules (planTokenRenewal) and resolves once the session holds
   * it; rejects with a sentence for the user when only the user can renew.
   */
  renew(target: RenewTarget, cause: Exclude<TokenCause, 'user'>): Promise<void>;
  /** The person's Get token and Refresh, for the form and the refresh panel. */
  getTokenPending: boolean;
  /** When the provider rate-limited the last Get token, the time (epoch ms) it allows the next one; else null. */
  getTokenRetryAt: number | null;
  getTokenError: ApiClientError | null;
  refreshPending: boolean;
  refreshError: ApiClientError | null;
  /** Any token request of this owner under way. */
  busy: boolean;
  /** Forgets the last Get token answer and error (the selection changed). */
  forgetAnswer(): void;
  /** Forgets the last Refresh error. */
  forgetRefresh(): void;
}

interface MintVariables {
  providerId: string;
  input: TokenRequestInput;
  cause: TokenCause;
}

interface RefreshVariables {
  providerId: string;
  cause: TokenCause;
}

/**
 * The session a token answer carries replaces the cached one; a session read already under way is cancelled first,
 * or its older answer would land after this one. A failure changed the timeline too, so then the session is read.
 */
function useSessionFromTokenAnswer() {
  const queryClient = useQueryClient();
  return {
    onSuccess: async (answer: WithClock<TokenResponseDto>) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.session.all });
      const session = mergeSessionAnswer(queryClient.getQueryData<WithClock<SessionDto>>(queryKeys.session.all), answer.session);
      if (!session) {
        // The page no longer holds what the answer builds on: it reads the whole session instead.
        await queryClient.invalidateQueries({ queryKey: queryKeys.session.all });
        return;
      }
      queryClient.setQueryData<WithClock<SessionDto>>(queryKeys.session.all, { ...session, clockOffsetMs: session.serverNow - Date.now() });
    },
    onError: () => queryClient.invalidateQueries({ queryKey: queryKeys.session.all }),
  };
}

/** The owner for the workbench's selection; `session` is the cached session the workbench already reads. */
export function useTokenOwner(
  provider: ProviderDto | undefined,
  selection: { environmentId: string; presetId: string | undefined } | undefined,
  session: WithClock<SessionDto> | undefined,
): TokenOwner {
  const sessionFromAnswer = useSessionFromTokenAnswer();
  const queryClient = useQueryClient();
  // A 429's Retry-After (RFC 6585 §4): the next Get token waits for it rather than adding to the storm.
  const [retryAt, setRetryAt] = useState<{ providerId: string; at: number } | null>(null);
  const mint = useMutation<WithClock<TokenResponseDto>, ApiClientError, MintVariables>({
    // The answer then carries only the timeline the page lacks (a long session's history is most of a token answer).
    mutationFn: ({ providerId, input }) =>
      postToken(providerId, { ...input, sessionAfter: newestExchangeId(queryClient.getQueryData<WithClock<SessionDto>>(queryKeys.session.all)) }),
    ...sessionFromAnswer,
    onMutate: () => setRetryAt(null),
    onError: (error, variables) => {
      if (error.status === 429 && error.retryAfterMs !== null) setRetryAt({ providerId: variables.providerId, at: Date.now() + error.retryAfterMs });
      return sessionFromAnswer.onError();
    },
  });
  const refresh = useMutation<WithClock<TokenResponseDto>, ApiClientError, RefreshVariables>({
    mutationFn: ({ providerId }) => postRefresh(providerId),
    ...sessionFromAnswer,
    onError: (error, variables) => {
      // The BFF dropped the tokens: the last Get token answer speaks of a token that is gone.
      if (error.code === 'reauth_required' && variables.providerId === mint.variables?.providerId) mint.reset();
      return sessionFromAnswer.onError();
    },
  });

  const providerToken = provider && session ? findProviderToken(session.tokens, provider.id) : undefined;
  const matches = (token: TokenDto) =>
    !!provider && !!selection && token.providerId === provider.id && tokenMatchesSelection(token, selection.environmentId, selection.presetId);
  const token = providerToken && session && matches(providerToken) ? { token: providerToken, clockOffsetMs: session.clockOffsetMs } : undefined;
  const byUser = (variables: { cause: TokenCause } | undefined) => variables?.cause === 'user';
  const lastAnswer = byUser(mint.variables) && mint.data && matches(mint.data.token) ? mint.data.token : undefined;

  // Renewal runs later (after a 401, or a timer) with the session and selection of that moment.
  const latest = useRef({ provider, session, mint: mint.mutateAsync, refresh: refresh.mutateAsync });
  useEffect(() => {
    latest.current = { provider, session, mint: mint.mutateAsync, refresh: refresh.mutateAsync };
  });
  const renew = useCallback(async (target: RenewTarget, cause: Exclude<TokenCause, 'user'>) => {
    const { provider: p, session: s, mint: mintToken, refresh: refreshToken } = latest.current;
    if (!p) throw new Error('No provider is selected.');
    const plan = planTokenRenewal(p, target, s ? findProviderToken(s.tokens, p.id) : undefined);
    if (plan.kind === 'manual') throw new Error(plan.reason);
    if (plan.kind === 'refresh') {
      await refreshToken({ providerId: p.id, cause });
      return;
    }
    await mintToken({
      providerId: p.id,
      input: { environmentId: plan.environmentId, credential: { kind: 'preset', presetId: plan.presetId }, forceNew: true },
      cause,
    });
  }, []);

  return {
    token,
    providerToken,
    lastAnswer,
    shownWasReused: !!token && lastAnswer?.reused === true && isSameToken(lastAnswer, token.token),
    getToken: (input) => provider && mint.mutate({ providerId: provider.id, input, cause: 'user' }),
    refresh: () => provider && refresh.mutate({ providerId: provider.id, cause: 'user' }),
    renew,
    getTokenPending: mint.isPending && byUser(mint.variables),
    getTokenRetryAt: retryAt && retryAt.providerId === provider?.id ? retryAt.at : null,
    getTokenError: byUser(mint.variables) ? mint.error : null,
    refreshPending: refresh.isPending && byUser(refresh.variables),
    refreshError: byUser(refresh.variables) && refresh.variables?.providerId === provider?.id ? refresh.error : null,
    busy: mint.isPending || refresh.isPending,
    forgetAnswer: mint.reset,
    forgetRefresh: refresh.reset,
  };
}

export const TokenOwnerContext = createContext<TokenOwner | null>(null);

/** The workbench's token owner; every component that shows or renews a token reads it here. */
export function useTokenOwnerContext(): TokenOwner {
  const owner = useContext(TokenOwnerContext);
  if (!owner) throw new Error('A token component is rendered outside the workbench (TokenOwnerContext).');
  return owner;
}
