'use client';

import { useState } from 'react';
import { EnvironmentKindBadge } from '@/components/flows/environment-kind-badge';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Disclosure } from '@/components/ui/disclosure';
import { EmptyState } from '@/components/ui/empty-state';
import { Spinner } from '@/components/ui/spinner';
import { useCustomProviders, useDeleteCustomProvider } from '@/lib/client/smart-hooks';
import type { CustomProviderDto } from '@/lib/contract/smart';
import { FindingCounts, FindingList } from './finding-list';
import { countFindings } from './provider-form';
import { Breakable } from '@/components/ui/breakable';

export interface SavedProvidersCardProps {
  editingId: string | null;
  onEdit: (provider: CustomProviderDto) => void;
  onDeleted: (id: string) => void;
}

/** The user's saved custom providers, with the configuration checks as of their last save. */
export function SavedProvidersCard({ editingId, onEdit, onDeleted }: SavedProvidersCardProps) {
  const providers = useCustomProviders();
  const remove = useDeleteCustomProvider();
  const [confirming, setConfirming] = useState<string | null>(null);

  return (
    <Card title="Your providers" description="Saved for your account on the console server; secrets are never sent back." data-testid="saved-providers">
      {providers.isPending && (
        <p className="flex items-center gap-2 text-xs text-zinc-600">
          <Spinner /> Loading…
        </p>
      )}
      {providers.error && <ApiErrorCard error={providers.error} title="Could not load your providers" />}
      {providers.data?.length === 0 && <EmptyState title="None saved yet">Discover a server, configure the client, save.</EmptyState>}
      {providers.data && providers.data.length > 0 && (
        <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200">
          {providers.data.map((p) => (
            <li key={p.id} className="px-3 py-2.5 text-xs" data-testid="saved-provider" data-provider-id={p.id}>
              <div className="flex items-start justify-between gap-2">
                <div className="flex min-w-0 flex-wrap items-center gap-1.5">
                  <span className="font-semibold text-zinc-900">{p.name}</span>
                  <EnvironmentKindBadge kind={p.environmentKind} />
                  <Badge tone="indigo">{p.config.grant === 'client_credentials' ? 'backend services' : 'app launch'}</Badge>
                  {editingId === p.id && <Badge tone="violet">editing</Badge>}
                </div>
                <span className="flex shrink-0 items-center gap-1">
                  {confirming === p.id ? (
                    <>
                      <span className="text-red-700">Delete {p.name}?</span>
                      <Button
                        size="xs"
                        variant="danger"
                        pending={remove.isPending}
                        onClick={() =>
                          remove.mutate(
                            { id: p.id },
                            {
                              onSuccess: () => {
                                setConfirming(null);
                                onDeleted(p.id);
                              },
                            },
                          )
                        }
                      >
                        Delete
                      </Button>
                      <Button size="xs" variant="ghost" onClick={() => setConfirming(null)}>
                        Cancel
                      </Button>
                    </>
                  ) : (
                    <>
                      <Button size="xs" variant="ghost" onClick={() => onEdit(p)}>
                        Edit
                      </Button>
                      <Button
                        size="xs"
                        variant="ghost"
                        onClick={() => {
                          remove.reset();
                          setConfirming(p.id);
                        }}
                      >
                        Delete
                      </Button>
                    </>
                  )}
                </span>
              </div>
              <p className="mt-1 font-mono text-xs wrap-anywhere text-zinc-600"><Breakable text={p.discoveryUrl} /></p>
              <p className="mt-0.5 text-zinc-600">
                client <code className="font-mono">{p.clientId}</code> · {p.config.clientAuth}
                {p.hasClientSecret && ' · secret saved'}
              </p>
              <Disclosure
                className="mt-1.5"
                summary={
                  <span className="flex items-center gap-2">
                    Checks at last save <FindingCounts counts={countFindings(p.findings)} />
                  </span>
                }
              >
                {p.findings.length > 0 ? <FindingList findings={p.findings} /> : <p className="text-zinc-600">Nothing is known to fail.</p>}
              </Disclosure>
            </li>
          ))}
        </ul>
      )}
      {remove.error && <ApiErrorCard className="mt-3" error={remove.error} title="Could not delete the provider" />}
    </Card>
  );
}
