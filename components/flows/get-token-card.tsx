import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import type { ApiClientError } from '@/lib/api-client/api-client-error';
import type { ProviderDto, TokenDto } from '@/lib/api-client/schemas';
import { GrantRecipe } from './grant-recipe';
import { KnownDeviations } from './known-deviations';

export interface GetTokenCardProps {
  provider: ProviderDto;
  tokenUrl: string;
  pending: boolean;
  /** The token of the last successful request, when it belongs to the current selection. */
  lastToken: TokenDto | undefined;
  error: ApiClientError | null;
  onForceNew: () => void;
}

/** Step 4: the recipe, the button (it submits the surrounding form) and what came back. */
export function GetTokenCard({ provider, tokenUrl, pending, lastToken, error, onForceNew }: GetTokenCardProps) {
  return (
    <Card step={4} title="Get a token" description="The server sends the request; the token never reaches this page.">
      <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto]">
        <GrantRecipe provider={provider} tokenUrl={tokenUrl} />
        <KnownDeviations provider={provider} />
        <div className="flex flex-col items-stretch gap-2 lg:w-56">
          <Button type="submit" variant="primary" pending={pending} data-testid="get-token">
            {pending ? 'Requesting token…' : 'Get token'}
          </Button>
          {lastToken?.reused && !pending && (
            <div
              className="rounded-lg border border-sky-200 bg-sky-50 px-3 py-2 text-xs text-sky-900"
              data-testid="token-reused"
            >
              <p className="flex items-center gap-1.5 font-medium">
                <Badge tone="blue">Reused</Badge> A live token was reused.
              </p>
              {lastToken.reuseReason && <p className="mt-1 leading-5 text-sky-800">{lastToken.reuseReason}</p>}
              <Button size="sm" className="mt-2 w-full" onClick={onForceNew} data-testid="mint-new-token">
                Mint a new token
              </Button>
            </div>
          )}
          {lastToken && !lastToken.reused && !pending && (
            <p className="text-center text-xs text-emerald-700">New token minted.</p>
          )}
        </div>
      </div>
      {error && !pending && <ApiErrorCard className="mt-4" error={error} data-testid="token-error" />}
    </Card>
  );
}
