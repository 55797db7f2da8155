'use client';

import { useEffect, useRef, useState } from 'react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { toApiClientError, type ApiClientError } from '@/lib/client/api-client-error';
import { useTokenOwnerContext } from '@/lib/client/token-owner';
import { formatClockTime, formatRelativeTime } from '@/lib/client/relative-time';
import type { TokenDto } from '@/lib/contract/schemas';
import { lifecycleOf, renewalAction, type LifecycleEvent, type LifecycleEventType } from '@/lib/client/lifecycle';

const tone: Record<LifecycleEventType, BadgeTone> = {
  issued: 'green',
  reused: 'blue',
  refreshed: 'indigo',
  rotated: 'violet',
  refused: 'red',
  expired: 'red',
  revoked: 'red',
};

/** One line per event of a token's life. */
export function LifecycleEvents({ events, now }: { events: LifecycleEvent[]; now: number }) {
  return (
    <ol className="space-y-1">
      {events.map((event, i) => (
        <li key={`${event.type}-${event.at}-${i}`} className="flex items-start gap-2 text-xs text-zinc-700" data-event={event.type}>
          <span className="w-16 shrink-0 font-mono text-xs text-zinc-600 tabular-nums">{formatClockTime(event.at)}</span>
          <Badge tone={tone[event.type]}>{event.type}</Badge>
          <span>
            {event.detail} {now > 0 && <span className="text-zinc-600">({formatRelativeTime(event.at, now)})</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}

/**
 * The token's history (issued → reused → refreshed/rotated → expired) and auto-renew by the provider's rules:
 * refresh where a refresh token exists, mint a client-credentials token only in its last minute, ask to
 * re-authorize otherwise, and stop after a failure instead of retrying.
 */
export function TokenLifecycle({ token, now }: { token: TokenDto; now: number }) {
  const [autoRenew, setAutoRenew] = useState(false);
  const [failure, setFailure] = useState<ApiClientError | null>(null);
  const attemptedFor = useRef<string | null>(null);
  const { renew, busy } = useTokenOwnerContext();
  const action = now > 0 ? renewalAction(token, now, { lastAttemptFailed: failure !== null }) : null;
  const tokenKey = `${token.fingerprint.hmacPrefix}:${token.expiresAt}`;

  useEffect(() => {
    if (!autoRenew || busy || !action || attemptedFor.current === tokenKey) return;
    if (action.kind !== 'refresh' && action.kind !== 'mint') return;
    attemptedFor.current = tokenKey;
    renew({ environmentId: token.environmentId, presetId: token.presetId }, 'auto-renew').catch((error: unknown) => setFailure(toApiClientError(error)));
  }, [autoRenew, busy, action, tokenKey, renew, token]);

  const events = now > 0 ? lifecycleOf(token, now) : [];
  return (
    <section className="mt-5" data-testid="token-lifecycle">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-xs font-semibold text-zinc-900">Lifecycle</h3>
        <label className="flex items-center gap-2 text-xs text-zinc-700">
          <input
            type="checkbox"
            checked={autoRenew}
            onChange={(e) => {
              setAutoRenew(e.target.checked);
              setFailure(null);
              attemptedFor.current = null;
            }}
            data-testid="auto-renew"
          />
          Auto-renew
        </label>
      </div>
      <LifecycleEvents events={events} now={now} />
      {autoRenew && action && (
        <p className="mt-2 text-xs text-zinc-600" data-testid="auto-renew-status">
          {busy ? 'Renewing…' : action.reason}
        </p>
      )}
      {failure && <ApiErrorCard className="mt-2" error={failure} title="Auto-renew stopped" />}
    </section>
  );
}
