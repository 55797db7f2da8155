import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Button } from '@/components/ui/button';
import type { ApiClientError } from '@/lib/client/api-client-error';

export interface RefreshErrorCardProps {
  error: ApiClientError;
  providerName: string;
  /** Authorization code: "Authorize again"; client credentials: "Get a new token". */
  grantType: 'authorization_code' | 'client_credentials';
  /** The token-request form: re-authorizing goes through it, with the current credential set. */
  formId: string;
}

/**
 * A refresh that failed. After `reauth_required` the refresh token is dead and the server dropped the tokens:
 * the only way on is a new run, offered as a button; nothing is retried automatically.
 */
export function RefreshErrorCard({ error, providerName, grantType, formId }: RefreshErrorCardProps) {
  const reauth = error.code === 'reauth_required';
  return (
    <div className="space-y-2" data-testid="refresh-error">
      <ApiErrorCard error={error} title={reauth ? `${providerName} needs a new authorization` : 'The refresh failed'} />
      {reauth && (
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" form={formId} size="sm" variant="primary" data-testid="reauthorize">
            {grantType === 'authorization_code' ? 'Authorize again' : 'Get a new token'}
          </Button>
          <span className="text-xs text-zinc-600">The refresh is not retried by itself.</span>
        </div>
      )}
    </div>
  );
}
