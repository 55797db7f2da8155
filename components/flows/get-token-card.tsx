import type { ReactNode } from 'react';
import { RejectedClientAssertion } from '@/components/jwt/client-assertion-section';
import { ProviderErrorCard } from './provider-error-card';
import type { ApiClientError, ApiErrorBody } from '@/lib/client/api-client-error';
import type { FlowEndpoints } from '@/lib/client/effective-flow';
import type { GrantDto, ProviderDto, TokenDto } from '@/lib/contract/schemas';
import { AuthorizeAction } from './authorize-action';
import { ClientCredentialsAction, type ClientCredentialsActionProps } from './client-credentials-action';
import { FlowErrorCard } from './flow-error-card';
import { GrantRecipe } from './grant-recipe';
import { KnownDeviations } from './known-deviations';
import { RedirectUri } from './redirect-uri';
import { RequestedScopes } from './requested-scopes';
import { StepNumber } from '@/components/ui/step-number';

type SandboxUser = ProviderDto['presets'][number]['sandboxUsers'][number];

export interface GetTokenCardProps {
  provider: ProviderDto;
  grant: GrantDto;
  endpoints: FlowEndpoints;
  /** The form the action buttons submit. */
  formId: string;
  /** Built-in sandbox and a preset: the redirect URI is registered and the sign-in page takes these users. */
  builtinPreset: { sandboxUsers: readonly SandboxUser[] } | null;
  pending: boolean;
  /** Authorization code: the browser is leaving for the provider. */
  redirecting: boolean;
  /** The token of the last successful request, when it belongs to the current selection. */
  lastToken: TokenDto | undefined;
  error: ApiClientError | null;
  /** The provider rate-limited the last Get token: no new one before this time (epoch ms). */
  retryAt: number | null;
  /** A failed authorization callback for this provider, shown until dismissed. */
  flowError: ApiErrorBody | undefined;
  onDismissFlowError: () => void;
  /** The flow error came back with this page load (the callback's `flow=returned`). */
  flowErrorJustReturned: boolean;
  onForceNew: () => void;
  bodyFormat?: ClientCredentialsActionProps['bodyFormat'];
  /** private_key_jwt only: send one deliberately broken assertion. */
  onSendFaultyAssertion?: ClientCredentialsActionProps['onSendFaultyAssertion'];
  /** Under the action: the built-in sandbox's "Simulate a failure…" switch. */
  simulation?: ReactNode;
}

/** Step 4, the setup bar's last row: the recipe, the action (client credentials: Get token; authorization code: Authorize) and what came back. */
export function GetTokenCard(props: GetTokenCardProps) {
  const { provider, grant, endpoints, pending, error } = props;
  const authorizationCode = grant.grantType === 'authorization_code';
  return (
    <section data-testid="get-token-card" className="border-t border-zinc-200 p-4">
      <div className="mb-3 flex min-w-0 items-start gap-2">
        <StepNumber step={4} className="mt-px" />
        <div className="min-w-0">
          <h2 className="text-sm font-semibold text-zinc-900">
            {authorizationCode ? 'Authorize' : 'Get a token'}
          </h2>
          <p className="mt-0.5 text-xs text-zinc-600">
            {authorizationCode
              ? 'You sign in and consent at the provider; the server exchanges the code. The token never reaches this page.'
              : 'The server sends the request; the token never reaches this page.'}
          </p>
        </div>
      </div>
      <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto]">
        <div className="min-w-0 space-y-4">
          <GrantRecipe provider={provider} grant={grant} endpoints={endpoints} />
          {authorizationCode && (
            <>
              <RedirectUri uri={provider.redirectUri} preregistered={props.builtinPreset !== null} />
              <RequestedScopes scopes={grant.scopes} />
            </>
          )}
        </div>
        <div className="min-w-0">
          <KnownDeviations provider={provider} />
        </div>
        <div className="min-w-0 space-y-3 lg:w-64">
          {authorizationCode ? (
            <AuthorizeAction
              providerName={provider.name}
              pending={pending || props.redirecting}
              redirecting={props.redirecting}
              sandboxUsers={props.builtinPreset?.sandboxUsers ?? []}
            />
          ) : (
            <ClientCredentialsAction
              pending={pending}
              retryAt={props.retryAt}
              lastToken={props.lastToken}
              onForceNew={props.onForceNew}
              bodyFormat={props.bodyFormat}
              onSendFaultyAssertion={props.onSendFaultyAssertion}
            />
          )}
          {props.simulation}
        </div>
      </div>
      {error && !pending && <ProviderErrorCard className="mt-4" error={error} providerName={provider.name} data-testid="token-error" />}
      {error?.body.clientAssertion && !pending && <RejectedClientAssertion className="mt-3" assertion={error.body.clientAssertion} />}
      {props.flowError && !pending && !props.redirecting && (
        <div className="mt-4">
          <FlowErrorCard
            providerName={provider.name}
            error={props.flowError}
            formId={props.formId}
            onDismiss={props.onDismissFlowError}
            justReturned={props.flowErrorJustReturned}
          />
        </div>
      )}
    </section>
  );
}
