import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import type { GrantDto, ProviderDto, TokenDto } from '@/lib/contract/schemas';

export interface NoTokenCardProps {
  provider: ProviderDto;
  environmentLabel: string;
  grant: GrantDto;
  loading: boolean;
  /** The provider's session token when it belongs to another environment or credential set. */
  otherToken: { token: TokenDto; environmentLabel: string } | undefined;
  onShowOtherToken: () => void;
  /** Shown first, e.g. why the last token went away (a dead refresh token). */
  notice?: ReactNode;
}

/** The token column before there is a token for this selection, with a way to the one the session does hold. */
export function NoTokenCard({
  provider,
  environmentLabel,
  grant,
  loading,
  otherToken,
  onShowOtherToken,
  notice,
}: NoTokenCardProps) {
  return (
    <Card title="Access token" description={environmentLabel}>
      {notice && <div className="mb-3">{notice}</div>}
      {otherToken && (
        <div
          className="mb-3 flex flex-wrap items-center justify-between gap-2 rounded-lg border border-sky-200 bg-sky-50 px-3 py-2 text-xs text-sky-900"
          data-testid="other-token"
        >
          <p>
            The session holds a {provider.name} token for{' '}
            <span className="font-medium">{otherToken.token.credentialLabel}</span> in{' '}
            <span className="font-medium">{otherToken.environmentLabel}</span>.
          </p>
          <Button size="xs" onClick={onShowOtherToken}>
            Show it
          </Button>
        </div>
      )}
      <EmptyState title={loading ? 'Loading the session…' : 'No token yet'}>
        {grant.grantType === 'authorization_code' ? (
          <>
            Press <span className="font-medium">Authorize with {provider.name}</span>: you sign in and consent there,
            then come back here. What the token response said, the granted scopes and the refresh token appear here.
          </>
        ) : (
          <>
            Choose a credential set and press <span className="font-medium">Get token</span>. The decoded claims,
            expiry countdown and spec deviations appear here.
          </>
        )}
      </EmptyState>
    </Card>
  );
}
