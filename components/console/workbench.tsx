'use client';

import { useState } from 'react';
import { FhirPanel } from '@/components/fhir/fhir-panel';
import { getDefaultCredential, getDefaultEnvironment } from '@/components/flows/credential-options';
import { TokenRequestForm } from '@/components/flows/token-request-form';
import { TokenPanel } from '@/components/jwt/token-panel';
import { EmptyState } from '@/components/ui/empty-state';
import { Card } from '@/components/ui/card';
import { Timeline } from '@/components/timeline/timeline';
import { useGetToken, useSession } from '@/lib/api-client/hooks';
import { epochToMs } from '@/lib/api-client/relative-time';
import type { ProvidersResponse, TokenDto } from '@/lib/api-client/schemas';
import { isSameToken, pickSessionToken } from '@/lib/api-client/token-selection';
import { useIsLive } from '@/components/jwt/use-is-live';

export interface WorkbenchProps {
  catalogue: ProvidersResponse;
}

/** Owns the selection (provider, environment, credential set) and wires the flow, token, FHIR and timeline panels. */
export function Workbench({ catalogue }: WorkbenchProps) {
  const { providers, builtinSandboxes } = catalogue;
  const [providerId, setProviderId] = useState(() => providers[0]?.id ?? '');
  const provider = providers.find((p) => p.id === providerId) ?? providers[0];
  const [environmentId, setEnvironmentId] = useState(() =>
    provider ? getDefaultEnvironment(provider, builtinSandboxes) : '',
  );
  const [credential, setCredential] = useState(() =>
    provider ? getDefaultCredential(provider, environmentId) : '',
  );

  const session = useSession();
  const getToken = useGetToken();

  const environment = provider?.environments.find((env) => env.id === environmentId) ?? provider?.environments[0];

  // The token to show: the one just returned (it carries reuse information) unless the session has a newer one.
  const sessionToken =
    provider && environment && session.data ? pickSessionToken(session.data.tokens, provider.id, environment.id) : undefined;
  const minted =
    getToken.data &&
    getToken.data.token.providerId === provider?.id &&
    getToken.data.token.environmentId === environment?.id
      ? getToken.data
      : undefined;
  let shown: { token: TokenDto; clockOffsetMs: number } | undefined;
  if (
    minted &&
    (!sessionToken || isSameToken(minted.token, sessionToken) || minted.token.issuedAt > sessionToken.issuedAt)
  ) {
    shown = { token: minted.token, clockOffsetMs: minted.clockOffsetMs };
  } else if (sessionToken && session.data) {
    shown = { token: sessionToken, clockOffsetMs: session.data.clockOffsetMs };
  }
  // Not useServerNow: the whole workbench would re-render every second.
  const hasLiveToken = useIsLive(shown ? epochToMs(shown.token.expiresAt) : null, shown?.clockOffsetMs ?? 0);

  if (!provider || !environment) return null;

  const changeProvider = (id: string) => {
    const next = providers.find((p) => p.id === id);
    if (!next) return;
    const nextEnvironment = getDefaultEnvironment(next, builtinSandboxes);
    setProviderId(id);
    setEnvironmentId(nextEnvironment);
    setCredential(getDefaultCredential(next, nextEnvironment));
    getToken.reset();
  };

  const changeEnvironment = (id: string) => {
    setEnvironmentId(id);
    setCredential((current) => getDefaultCredential(provider, id, current));
    getToken.reset();
  };

  return (
    <div className="space-y-4">
      <TokenRequestForm
        providers={providers}
        provider={provider}
        environment={environment}
        credential={credential}
        builtinAvailable={builtinSandboxes}
        onProviderChange={changeProvider}
        onEnvironmentChange={changeEnvironment}
        onCredentialChange={(value) => {
          setCredential(value);
          getToken.reset();
        }}
        onRequestToken={(input) => getToken.mutate({ providerId: provider.id, input })}
        pending={getToken.isPending}
        lastToken={minted?.token}
        error={getToken.error}
      />

      <div className="grid items-start gap-4 xl:grid-cols-2">
        <div className="min-w-0">
          {shown ? (
            <TokenPanel
              token={shown.token}
              clockOffsetMs={shown.clockOffsetMs}
              providerName={provider.name}
              environmentLabel={environment.label}
            />
          ) : (
            <Card title="Access token" description={environment.label}>
              <EmptyState title={session.isPending ? 'Loading the session…' : 'No token yet'}>
                Choose a credential set and press <span className="font-medium">Get token</span>. The decoded claims,
                expiry countdown and spec deviations appear here.
              </EmptyState>
            </Card>
          )}
        </div>
        <div className="min-w-0 space-y-4">
          <FhirPanel key={provider.id} provider={provider} environment={environment} hasLiveToken={hasLiveToken} />
        </div>
      </div>

      <Timeline
        exchanges={session.data?.exchanges}
        error={session.error}
        refreshing={session.isFetching}
        onRefresh={() => void session.refetch()}
      />
    </div>
  );
}
