'use client';

import type { AuthorizationScheme } from '@/lib/contract/dpop';
import { useCallback, useEffect, useRef } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Disclosure } from '@/components/ui/disclosure';
import { EmptyState } from '@/components/ui/empty-state';
import type { KickoffInput } from '@/lib/client/bulk/kickoff';
import type { FlowTarget } from '@/lib/client/effective-flow';
import type { ProviderDto } from '@/lib/contract/schemas';
import { useTokenOwnerContext } from '@/lib/client/token-owner';
import { BulkJob } from './bulk-job';
import type { ActiveBulkJob } from './bulk-job-types';
import { BulkKickoffForm } from './bulk-kickoff-form';
import { Breakable } from '@/components/ui/breakable';

/** A request to open the kick-off form with these choices; `id` grows with each request, even for the same choices. */
export interface BulkFormPrefill {
  id: number;
  input: Partial<KickoffInput>;
}

export interface BulkExportCardProps {
  provider: ProviderDto;
  /** The current selection: where a kick-off from the form goes. */
  target: FlowTarget;
  /** How the server sends the session's token. */
  authScheme: AuthorizationScheme;
  job: ActiveBulkJob | null;
  onStarted: (job: ActiveBulkJob) => void;
  onDismiss: () => void;
  /** Opens "New export" with these choices, scrolls to it and focuses it. */
  prefill?: BulkFormPrefill | null;
}

/** Step 6: start a `$export` from the form (or an example above) and follow the job until its files are downloaded. */
export function BulkExportCard({ provider, target, authScheme, job, onStarted, onDismiss, prefill = null }: BulkExportCardProps) {
  const environment = job ? provider.environments.find((env) => env.id === job.target.environmentId) : undefined;
  const { renew } = useTokenOwnerContext();
  const { environmentId, presetId } = job?.target ?? target;
  const renewToken = useCallback(() => renew({ environmentId, presetId }, 'retry'), [renew, environmentId, presetId]);
  const capability = provider.bulkExport;
  const formBox = useRef<HTMLDivElement>(null);
  const prefillId = prefill?.id ?? 0;
  // A remount per prefill (the key below) has opened the form with its choices; bring it to the user.
  useEffect(() => {
    const box = formBox.current;
    if (!prefillId || !box) return;
    (box.closest('section') ?? box).scrollIntoView({ block: 'start' });
    box.querySelector<HTMLElement>('input:checked, select, input')?.focus({ preventScroll: true });
  }, [prefillId]);

  return (
    <Card
      data-testid="bulk-export"
      title="Bulk export"
      description="A $export kick-off answers 202 with a status URL; the console polls it until the files are ready, then downloads them through its server."
      actions={
        job && (
          <>
            {environment && <Badge tone="neutral">{environment.label}</Badge>}
            <Button size="xs" variant="ghost" onClick={onDismiss}>
              Clear
            </Button>
          </>
        )
      }
    >
      <div className="space-y-5">
        {capability && (
          <div ref={formBox}>
            <Disclosure
              key={`${target.environmentId}:${target.presetId ?? ''}:${prefillId}`}
              defaultOpen={!job || prefill !== null}
              summary={<span className="text-sm font-semibold text-zinc-900">New export</span>}
            >
              <BulkKickoffForm provider={provider} capability={capability} target={target} authScheme={authScheme} onStarted={onStarted} initial={prefill?.input} />
            </Disclosure>
          </div>
        )}
        <div className={capability ? 'border-t border-zinc-100 pt-4' : undefined}>
          {!job ? (
            <EmptyState title="No export running">
              {capability ? 'Start one with the form above, or send' : 'Send'} one of the{' '}
              <span className="font-medium">bulk</span> example requests, such as Patient $export.
            </EmptyState>
          ) : !job.jobPath || !environment ? (
            <div className="rounded-lg border border-red-200 bg-red-50/60 p-3 text-xs text-red-800">
              <p className="font-semibold">The kick-off answered 202, but there is no job to follow.</p>
              <p className="mt-1">
                {job.contentLocation ? (
                  <>
                    Its <span className="font-mono">Content-Location</span> (
                    <span className="font-mono wrap-anywhere"><Breakable text={job.contentLocation} /></span>) is not a path of this environment.
                  </>
                ) : (
                  <>
                    The response has no <span className="font-mono">Content-Location</span> header (Bulk Data IG requires
                    one).
                  </>
                )}
              </p>
            </div>
          ) : (
            <BulkJob
              key={job.kickoffExchangeId}
              provider={provider}
              target={job.target}
              jobPath={job.jobPath}
              kickoffPath={job.kickoffPath}
              startedAt={job.startedAt}
              renewToken={renewToken}
            />
          )}
        </div>
      </div>
    </Card>
  );
}
