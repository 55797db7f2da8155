import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { ApiClientError } from '@/lib/client/api-client-error';
import type { TokenDto } from '@/lib/contract/schemas';
import { RefreshErrorCard } from './refresh-error-card';
import { RefreshHistory } from './refresh-history';
import { formatFingerprint } from './token-utils';

export interface RefreshControls {
  onRefresh: () => void;
  pending: boolean;
  error: ApiClientError | null;
  /** The token-request form, for "Authorize again". */
  formId: string;
}

export interface RefreshPanelProps extends RefreshControls {
  refresh: NonNullable<TokenDto['refresh']>;
  providerName: string;
  grantType: TokenDto['grantType'];
  now: number;
}

/** The refresh token the server holds: its fingerprint, whether it rotates, a manual refresh and the history. */
export function RefreshPanel({ refresh, providerName, grantType, now, onRefresh, pending, error, formId }: RefreshPanelProps) {
  return (
    <section data-testid="refresh-panel" aria-labelledby="refresh-panel-title">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h3 id="refresh-panel-title" className="flex items-center gap-2 text-xs font-semibold text-zinc-900">
          Refresh token
          {refresh.rotates ? (
            <Badge tone="violet" title="Each refresh returns a new refresh token and revokes the one sent">
              rotates
            </Badge>
          ) : (
            <Badge tone="neutral" title="The same refresh token works again">
              reusable
            </Badge>
          )}
        </h3>
        <Button size="sm" onClick={onRefresh} pending={pending} data-testid="refresh-token">
          {pending ? 'Refreshing…' : 'Refresh now'}
        </Button>
      </div>
      <div className="rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2">
        <p className="font-mono text-xs text-zinc-600" data-testid="refresh-fingerprint">
          {formatFingerprint(refresh.fingerprint)}
        </p>
        <p className="mt-0.5 text-xs leading-4 text-zinc-600">
          Held by the server.{' '}
          {refresh.rotates
            ? 'Each refresh sends it once and keeps the new one that comes back; sending a used one again fails.'
            : 'A refresh sends it and gets a new access token; the refresh token stays the same.'}
        </p>
      </div>
      <div className="mt-2">
        <RefreshHistory history={refresh.history} now={now} />
      </div>
      {error && !pending && (
        <div className="mt-3">
          <RefreshErrorCard error={error} providerName={providerName} grantType={grantType} formId={formId} />
        </div>
      )}
    </section>
  );
}
