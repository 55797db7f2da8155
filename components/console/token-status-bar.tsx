'use client';

import { getCountdown } from '@/components/jwt/countdown-utils';
import { useServerNow } from '@/components/jwt/use-server-now';
import { TokenStatusBadge } from '@/components/jwt/token-status-badge';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { epochToMs } from '@/lib/client/relative-time';
import type { TokenDto } from '@/lib/contract/schemas';

export interface TokenStatusBarProps {
  providerName: string;
  /** "Extra-small model entity · Built-in sandbox": what the shown token (or the next one) is for. */
  selectionLabel: string;
  shown: { token: TokenDto; clockOffsetMs: number } | undefined;
  /** A token request or authorization is under way. */
  pending: boolean;
  showLabel: string;
  /** Brings the token panel (or, without a token, the Get token button) into view and focuses it. */
  onShow: () => void;
}

/**
 * The token's state in one line that stays in view while the page scrolls (issue #16): which provider, the masked
 * token, Live / Expiring / Expired / Refused and the countdown. The countdown is not announced each second; the
 * token panel's own status is what a screen reader reads.
 */
export function TokenStatusBar({ providerName, selectionLabel, shown, pending, showLabel, onShow }: TokenStatusBarProps) {
  const now = useServerNow(shown?.clockOffsetMs ?? 0);
  const countdown = shown && now > 0 ? getCountdown(epochToMs(shown.token.expiresAt), now, epochToMs(shown.token.issuedAt)) : null;
  return (
    <div
      role="region"
      aria-label="Token status"
      data-testid="token-status-bar"
      className="sticky top-0 z-30 -mx-4 -mt-6 mb-4 border-b border-zinc-200 bg-white/95 px-4 backdrop-blur sm:-mx-6 sm:px-6"
    >
      <div className="flex min-h-11 items-center gap-x-3 gap-y-1 py-1.5 text-xs">
        <p className="flex min-w-0 flex-1 items-baseline gap-1.5">
          <span className="shrink-0 font-semibold text-zinc-900">{providerName}</span>
          <span className="hidden truncate text-zinc-600 sm:inline">· {selectionLabel}</span>
          {shown && (
            <span className="hidden truncate font-mono text-zinc-700 md:inline" data-testid="token-status-masked">
              · {shown.token.maskedToken}
            </span>
          )}
        </p>
        <span className="flex shrink-0 items-center gap-2" aria-live="off">
          {countdown && shown ? (
            <TokenStatusBadge state={countdown.state} refused={shown.token.refusal !== undefined} data-testid="token-status" />
          ) : (
            <Badge tone="neutral" dot data-testid="token-status">
              {shown ? 'Token' : pending ? 'Requesting…' : 'No token'}
            </Badge>
          )}
          {countdown && shown && !shown.token.refusal && countdown.state !== 'expired' && (
            <span className="font-mono text-sm font-semibold text-zinc-900 tabular-nums" data-testid="token-status-countdown">
              {countdown.label}
            </span>
          )}
        </span>
        <Button size="xs" onClick={onShow} className="shrink-0">
          {showLabel}
        </Button>
      </div>
    </div>
  );
}
