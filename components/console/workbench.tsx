'use client';

import { authorizationSchemeOf } from '@/lib/contract/dpop';
import { useQueryClient } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import {
  getDefaultCredential,
  getInitialSelection,
  getPresetsFor,
  toPresetId,
  type Selection,
} from '@/components/flows/credential-options';
import { FailureSimulation } from '@/components/flows/failure-simulation';
import { sandboxFeaturesOf } from '@/lib/contract/simulated-failures';
import { TOKEN_ACTION_ID, TOKEN_REQUEST_FORM_ID } from '@/components/flows/token-form-ids';
import { TokenRequestForm } from '@/components/flows/token-request-form';
import { RefreshErrorCard } from '@/components/jwt/refresh-error-card';
import { TokenPanel } from '@/components/jwt/token-panel';
import { useIsLive } from '@/components/jwt/use-is-live';
import { ResultRegion } from '@/components/ui/result-region';
import { readConsoleLocation, withConsoleProvider, type ConsoleLocation } from '@/lib/client/console-location';
import { getEffectiveEndpoints, getEffectiveGrant, getFlowTarget } from '@/lib/client/effective-flow';
import { useAuthorize, useSession } from '@/lib/client/hooks';
import { epochToMs } from '@/lib/client/relative-time';
import { getProviderSimulations } from '@/lib/client/simulations';
import type { ProviderDto, ProvidersResponse, TokenDto } from '@/lib/contract/schemas';
import { queryKeys } from '@/lib/client/query-keys';
import { TokenOwnerContext, useTokenOwner } from '@/lib/client/token-owner';
import { findProviderToken } from '@/lib/client/token-selection';
import { EndedTokenHistory } from '@/components/jwt/ended-token-history';
import { NoTokenCard } from './no-token-card';
import { TokenStatusBar } from './token-status-bar';
import { getNoSessionError, useFlowErrors, type FlowErrors } from './use-flow-errors';
import { PanelSkeleton } from './console-skeleton';

// Not needed for the first token: their code loads while the page is already usable (issue #16, page weight).
const FhirPanel = dynamic(() => import('@/components/fhir/fhir-panel').then((m) => m.FhirPanel), {
  loading: () => <PanelSkeleton label="Loading the workbench" className="h-[40rem]" />,
});
const Timeline = dynamic(() => import('@/components/timeline/timeline').then((m) => m.Timeline), {
  loading: () => <PanelSkeleton label="Loading the timeline" className="h-40" />,
});
// The diagram's code loads when it is opened, not with the page (issue #17).
const FlowDiagramPanel = dynamic(() => import('@/components/flow-diagram/flow-diagram-panel').then((m) => m.FlowDiagramPanel), {
  loading: () => <PanelSkeleton label="Loading the sequence diagram" className="h-96" />,
});
// "Check this server" (issue #18): its code loads when it is opened.
const ConformancePanel = dynamic(() => import('@/components/conformance/conformance-panel').then((m) => m.ConformancePanel), {
  loading: () => <PanelSkeleton label="Loading the conformance checks" className="h-48" />,
});
const AddProviderPanel = dynamic(() => import('@/components/smart/add-provider-panel').then((m) => m.AddProviderPanel), {
  loading: () => <PanelSkeleton label="Loading the provider form" className="h-96" />,
});

export interface WorkbenchProps {
  catalogue: ProvidersResponse;
}

/** Only the browser has a location; the workbench renders after the catalogue loads, so always there. */
function readLocation(): ConsoleLocation {
  return typeof window === 'undefined' ? { providerId: null, flow: null } : readConsoleLocation(window.location.search);
}

/** Keeps `?provider=` in step with the picker (a reload stays put) without a navigation. */
function replaceLocationProvider(providerId: string | null) {
  window.history.replaceState(window.history.state, '', withConsoleProvider(window.location.href, providerId));
}

/**
 * Owns the selection (provider, environment, credential set) and wires the flow, token, FHIR and timeline panels.
 * `?provider=` picks the provider on load (the authorization callback comes back that way), and the session's token
 * for it restores its environment and credential set.
 */
export function Workbench({ catalogue }: WorkbenchProps) {
  const { providers, builtinSandboxes } = catalogue;
  const session = useSession();
  const authorize = useAuthorize();

  const [initialLocation] = useState(readLocation);
  const [selection, setSelection] = useState<Selection | null>(() => {
    const first = providers.find((p) => p.id === initialLocation.providerId) ?? providers[0];
    if (!first) return null;
    return getInitialSelection(first, builtinSandboxes, session.data && findProviderToken(session.data.tokens, first.id));
  });
  // Until the first session answer, the selection is a default that the session's token may still replace.
  const [restored, setRestored] = useState(() => session.data !== undefined);
  const [touched, setTouched] = useState(false);
  if (!restored && session.data) {
    setRestored(true);
    const current = selection && providers.find((p) => p.id === selection.providerId);
    const token = current && findProviderToken(session.data.tokens, current.id);
    if (!touched && current && token) setSelection(getInitialSelection(current, builtinSandboxes, token));
  }

  // Issue #8: the "Add a SMART / OAuth provider" panel.
  const queryClient = useQueryClient();
  /** The catalogue as the query cache has it now: the save and delete hooks wait for its refetch. */
  const freshProviders = () => queryClient.getQueryData<ProvidersResponse>(queryKeys.providers.all)?.providers ?? providers;
  const [smartPanel, setSmartPanel] = useState<{ editId: string | null } | null>(null);
  // After a provider is saved its Get token (or Authorize) comes into view, focused: the panel above would
  // otherwise leave the next step a screen or two down (issue #16).
  const [savedProviderCount, setSavedProviderCount] = useState(0);
  useEffect(() => {
    if (savedProviderCount > 0) bringIntoView(TOKEN_ACTION_ID);
  }, [savedProviderCount]);

  const flowErrors = useFlowErrors(session.data, initialFlowErrors(initialLocation, providers));
  const [diagramOpen, setDiagramOpen] = useDiagramOpen();
  const [checkOpen, setCheckOpen] = useState(false);

  useEffect(() => {
    // The callback's one-shot `flow` flag must not survive a reload, nor an id no provider has.
    const known = providers.some((p) => p.id === initialLocation.providerId);
    if (initialLocation.flow !== null || (initialLocation.providerId !== null && !known)) {
      replaceLocationProvider(known ? initialLocation.providerId : null);
    }
  }, [initialLocation, providers]);

  const provider = providers.find((p) => p.id === selection?.providerId) ?? providers[0];
  const environment =
    provider?.environments.find((env) => env.id === selection?.environmentId) ?? provider?.environments[0];
  const presetId = toPresetId(selection?.credential ?? '');
  const tokens = useTokenOwner(provider, environment && { environmentId: environment.id, presetId }, session.data);
  const shown = tokens.token;
  // Not useServerNow: the whole workbench would re-render every second.
  const hasLiveToken = useIsLive(shown && !shown.token.refusal ? epochToMs(shown.token.expiresAt) : null, shown?.clockOffsetMs ?? 0);

  const select = (next: Selection) => {
    setSelection(next);
    setTouched(true);
    tokens.forgetAnswer();
    authorize.reset();
  };

  /** `list`: a catalogue fresher than this render's (right after a custom provider was saved or deleted). */
  const changeProvider = (id: string, list: readonly ProviderDto[] = providers) => {
    const next = list.find((p) => p.id === id);
    if (!next) return;
    select(getInitialSelection(next, builtinSandboxes, session.data && findProviderToken(session.data.tokens, id)));
    tokens.forgetRefresh();
    replaceLocationProvider(id);
  };

  if (!provider || !environment || !selection) return null;

  const grant = getEffectiveGrant(provider, presetId);
  const endpoints = getEffectiveEndpoints(provider, environment, presetId);
  const target = getFlowTarget(provider, environment, presetId);
  const authorizationCode = grant.grantType === 'authorization_code';
  const { providerToken, refreshError } = tokens;
  const endedToken = session.data?.endedTokens.find((e) => e.providerId === provider.id);
  const otherToken =
    !shown && providerToken
      ? {
          token: providerToken,
          environmentLabel:
            provider.environments.find((env) => env.id === providerToken.environmentId)?.label ?? providerToken.environmentId,
        }
      : undefined;

  // Back from the provider's login with a token: it comes into view once, as a Get token answer would.
  const justReturned = initialLocation.flow === 'returned' && provider.id === initialLocation.providerId;
  const returnedWith =
    justReturned && shown && !flowErrors.errors[provider.id]
      ? `returned ${shown.token.fingerprint.hmacPrefix}`
      : undefined;

  const showToken = (token: TokenDto) => select(getInitialSelection(provider, builtinSandboxes, token));

  const refreshControls = {
    onRefresh: tokens.refresh,
    pending: tokens.refreshPending,
    error: refreshError,
    formId: TOKEN_REQUEST_FORM_ID,
  };

  return (
    <TokenOwnerContext value={tokens}>
    <TokenStatusBar
      providerName={provider.name}
      selectionLabel={`${selectedCredentialLabel(provider, environment.id, selection.credential)} · ${environment.label}`}
      shown={shown}
      pending={authorizationCode ? authorize.isPending || authorize.isSuccess : tokens.getTokenPending}
      showLabel={shown ? 'Show token' : authorizationCode ? 'Go to Authorize' : 'Go to Get token'}
      onShow={() => bringIntoView(shown ? TOKEN_RESULT_ID : TOKEN_ACTION_ID)}
    />
    <div className="space-y-4">
      <TokenRequestForm
        providers={providers}
        provider={provider}
        environment={environment}
        credential={selection.credential}
        grant={grant}
        endpoints={endpoints}
        builtinAvailable={builtinSandboxes}
        onProviderChange={changeProvider}
        onAddProvider={() => setSmartPanel({ editId: null })}
        onEditProvider={(id) => setSmartPanel({ editId: id })}
        onEnvironmentChange={(id) =>
          select({ ...selection, environmentId: id, credential: getDefaultCredential(provider, id, selection.credential) })
        }
        onCredentialChange={(value) => select({ ...selection, credential: value })}
        onRequestToken={tokens.getToken}
        onAuthorize={(input) => {
          flowErrors.dismiss(provider.id);
          tokens.forgetRefresh();
          authorize.mutate({ providerId: provider.id, input });
        }}
        pending={authorizationCode ? authorize.isPending : tokens.getTokenPending}
        redirecting={authorizationCode && authorize.isSuccess}
        lastToken={tokens.lastAnswer}
        error={authorizationCode ? authorize.error : tokens.getTokenError}
        retryAt={authorizationCode ? null : tokens.getTokenRetryAt}
        flowError={flowErrors.errors[provider.id]}
        onDismissFlowError={() => flowErrors.dismiss(provider.id)}
        flowErrorJustReturned={justReturned}
        simulation={
          environment.kind === 'builtin' && (
            <FailureSimulation
              providerId={provider.id}
              providerName={provider.name}
              failures={getProviderSimulations(session.data?.simulations, provider.id)}
              features={sandboxFeaturesOf(provider.environments.find((env) => env.kind === 'builtin') ?? {})}
            />
          )
        }
      />

      {smartPanel && (
        <AddProviderPanel
          key={smartPanel.editId ?? 'new'}
          builtinSandboxes={builtinSandboxes}
          initialEditId={smartPanel.editId}
          onClose={() => setSmartPanel(null)}
          onSaved={(id) => {
            changeProvider(id, freshProviders());
            setSavedProviderCount((count) => count + 1);
          }}
          onDeleted={(id) => {
            const fresh = freshProviders();
            const first = fresh[0];
            if (selection.providerId === id && first) changeProvider(first.id, fresh);
          }}
        />
      )}

      <div className="grid items-start gap-4 xl:grid-cols-2">
        {/* Beside a long workbench the token stays in view, scrolling on its own: no half-empty column (issue #16). */}
        <ResultRegion
          id={TOKEN_RESULT_ID}
          result={tokens.lastAnswer ?? returnedWith}
          label="Token"
          data-testid="token-result"
          className="min-w-0 space-y-4 xl:sticky xl:top-14 xl:max-h-[calc(100dvh-4rem)] xl:overflow-y-auto xl:overscroll-contain"
        >
          {shown ? (
            <TokenPanel
              token={shown.token}
              clockOffsetMs={shown.clockOffsetMs}
              providerName={provider.name}
              claimGlossary={provider.claimGlossary}
              environmentLabel={environment.label}
              requestedScopes={requestedScopesOf(getEffectiveGrant(provider, shown.token.presetId).scopes)}
              refresh={refreshControls}
              reused={tokens.shownWasReused}
              refusalNote={provider.diagnosticNotes?.tokenRefused}
            />
          ) : (
            <NoTokenCard
              provider={provider}
              environmentLabel={environment.label}
              grant={grant}
              loading={session.isPending}
              otherToken={otherToken}
              onShowOtherToken={() => otherToken && showToken(otherToken.token)}
              notice={
                (refreshError || endedToken) && (
                  <>
                    {refreshError && (
                      <RefreshErrorCard
                        error={refreshError}
                        providerName={provider.name}
                        grantType={grant.grantType}
                        formId={TOKEN_REQUEST_FORM_ID}
                      />
                    )}
                    {endedToken && <EndedTokenHistory ended={endedToken} />}
                  </>
                )
              }
            />
          )}
        </ResultRegion>
        <div className="min-w-0 space-y-4">
          <FhirPanel
            key={provider.id}
            provider={provider}
            target={target}
            hasLiveToken={hasLiveToken}
            authScheme={authorizationSchemeOf(shown?.token)}
            onSwitchCredential={(credential) => select({ ...selection, credential })}
          />
        </div>
      </div>

      {diagramOpen && (
        <FlowDiagramPanel key={provider.id} provider={provider} environment={environment} token={shown?.token} presetId={presetId} onClose={() => setDiagramOpen(false)} />
      )}

      {checkOpen && (
        <ConformancePanel
          key={`${provider.id}:${environment.id}:${selection.credential}`}
          provider={provider}
          environment={environment}
          presetId={presetId}
          credentialLabel={selectedCredentialLabel(provider, environment.id, selection.credential)}
          signInFirst={authorizationCode}
          offersBulk={provider.bulkExport !== undefined}
          exchanges={session.data?.exchanges ?? []}
          onClose={() => setCheckOpen(false)}
        />
      )}

      <Timeline
        diagramOpen={diagramOpen}
        onShowDiagram={() => setDiagramOpen(true)}
        checkOpen={checkOpen}
        onCheckServer={() => setCheckOpen(true)}
        exchanges={session.data?.exchanges}
        error={session.error}
        refreshing={session.isFetching}
        onRefresh={() => void session.refetch()}
      />
    </div>
    </TokenOwnerContext>
  );
}

const TOKEN_RESULT_ID = 'token-result';

/** The diagram stays open across the login round trip and reloads of this tab (a demo in progress). */
const DIAGRAM_OPEN_KEY = 'console.sequence-diagram-open';

function useDiagramOpen(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(() => typeof window !== 'undefined' && window.sessionStorage.getItem(DIAGRAM_OPEN_KEY) === '1');
  const change = (next: boolean) => {
    setOpen(next);
    if (next) window.sessionStorage.setItem(DIAGRAM_OPEN_KEY, '1');
    else window.sessionStorage.removeItem(DIAGRAM_OPEN_KEY);
  };
  return [open, change];
}

/** The token, or the button that gets one, scrolled to and focused. */
function bringIntoView(id: string) {
  const element = document.getElementById(id);
  element?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  element?.focus({ preventScroll: true });
}

function selectedCredentialLabel(provider: ProviderDto, environmentId: string, credential: string): string {
  return getPresetsFor(provider, environmentId).find((preset) => preset.id === credential)?.label ?? 'Your own credentials';
}

/** The scopes to compare the granted ones with; null when the flow asked for none (nothing to compare). */
function requestedScopesOf(scopes: readonly string[]): readonly string[] | null {
  return scopes.length > 0 ? scopes : null;
}

/** `?flow=no-session` after a callback: explained for the provider it came back for. */
function initialFlowErrors(location: ConsoleLocation, providers: ProvidersResponse['providers']): FlowErrors {
  if (location.flow !== 'no-session') return {};
  const provider = providers.find((p) => p.id === location.providerId);
  return provider ? { [provider.id]: getNoSessionError(provider.name) } : {};
}
