'use client';

import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Button } from '@/components/ui/button';
import { StatusCode } from '@/components/ui/status-code';
import {
  bulkManifestSchema,
  getJobPhase,
  parseXProgress,
  type BulkProgress as Progress,
  type JobPhase,
} from '@/lib/api-client/bulk-export';
import { getHeader } from '@/lib/api-client/headers';
import { useBulkExportJob, useFhirRequest } from '@/lib/api-client/hooks';
import type { FlowTarget } from '@/lib/api-client/effective-flow';
import type { ProviderDto } from '@/lib/api-client/schemas';
import { useState } from 'react';
import { BulkManifest } from './bulk-manifest';
import { BulkProgress } from './bulk-progress';
import { getOperationOutcomeIssues } from './fhir-utils';
import { OperationOutcome } from './operation-outcome';
import { ResponseBody } from './response-body';

export interface BulkJobProps {
  /** Distinguishes two jobs that happen to share a status URL (e.g. after a sandbox restart). */
  kickoffId: string;
  provider: ProviderDto;
  target: FlowTarget;
  jobPath: string;
  startedAt: number;
}

const phaseLabel: Record<JobPhase, string> = {
  'in-progress': 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled or not found',
  expired: 'Expired',
  failed: 'Failed',
};

const phaseTone = {
  'in-progress': 'indigo',
  completed: 'green',
  cancelled: 'amber',
  expired: 'amber',
  failed: 'red',
} as const;

/** Follows one job: polls its status, shows progress, then the manifest or the reason it ended. */
export function BulkJob({ kickoffId, provider, target, jobPath, startedAt }: BulkJobProps) {
  const [cancelRequested, setCancelRequested] = useState(false);
  const status = useBulkExportJob(
    { providerId: provider.id, environmentId: target.environmentId, presetId: target.presetId, jobPath, kickoffId },
    !cancelRequested,
  );
  const cancel = useFhirRequest();

  const data = status.data;
  const phase: JobPhase = cancelRequested && (!data || data.status === 202) ? 'cancelled' : data ? getJobPhase(data.status) : 'in-progress';
  const progress: Progress =
    phase === 'in-progress'
      ? data
        ? parseXProgress(getHeader(data.headers, 'x-progress'))
        : { label: 'Checking job status…', percent: 0 }
      : { label: cancelRequested && phase === 'cancelled' ? 'Cancelled' : phaseLabel[phase], percent: 100 };

  const manifest = data?.status === 200 ? bulkManifestSchema.safeParse(data.json) : null;
  const issues = data && data.status !== 200 && data.status !== 202 ? getOperationOutcomeIssues(data.json) : null;

  const requestCancel = () =>
    cancel.mutate(
      {
        providerId: provider.id,
        request: { environmentId: target.environmentId, presetId: target.presetId, method: 'DELETE', path: jobPath },
      },
      {
        onSuccess: (response) => {
          if (response.status >= 200 && response.status < 300) setCancelRequested(true);
        },
      },
    );

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="min-w-0 truncate font-mono text-xs text-zinc-600">
          <span className="font-semibold text-indigo-700">GET</span> {jobPath}
        </p>
        <div className="flex items-center gap-2">
          {phase === 'in-progress' && (
            <Button size="sm" variant="ghost" onClick={() => void status.refetch()} disabled={status.isFetching}>
              Check now
            </Button>
          )}
          {phase === 'in-progress' && (
            <Button size="sm" variant="danger" onClick={requestCancel} pending={cancel.isPending} data-testid="bulk-cancel">
              Cancel job
            </Button>
          )}
        </div>
      </div>

      <BulkProgress
        progress={progress}
        tone={phaseTone[phase]}
        startedAt={startedAt}
        settledAt={phase === 'in-progress' ? null : status.dataUpdatedAt || startedAt}
        checkedAt={status.dataUpdatedAt}
        hidePercent={phase !== 'in-progress' && phase !== 'completed'}
      />

      {cancel.data && !(cancel.data.status >= 200 && cancel.data.status < 300) && (
        <div className="space-y-2 rounded-lg border border-amber-200 bg-amber-50/50 p-3">
          <p className="flex items-center gap-2 text-xs text-zinc-700">
            Cancel answered <StatusCode status={cancel.data.status} text={cancel.data.statusText} />
          </p>
          <ResponseBody response={cancel.data} />
        </div>
      )}
      {cancel.error && <ApiErrorCard error={cancel.error} title="Could not cancel the job" />}
      {cancelRequested && (
        <p className="text-xs text-zinc-600">
          Cancellation accepted (<span className="font-mono">{cancel.data?.status}</span>). Polling stopped.
        </p>
      )}

      {status.error && (
        <div className="space-y-2">
          <ApiErrorCard error={status.error} title="Stopped following the job" />
          <Button size="sm" onClick={() => void status.refetch()}>
            Check again
          </Button>
        </div>
      )}

      {data && phase !== 'in-progress' && phase !== 'completed' && !cancelRequested && (
        <div className="space-y-2">
          <p className="flex items-center gap-2 text-xs text-zinc-700">
            Job status answered <StatusCode status={data.status} text={data.statusText} />
          </p>
          {issues ? <OperationOutcome issues={issues} /> : <ResponseBody response={data} />}
        </div>
      )}

      {manifest &&
        (manifest.success ? (
          <BulkManifest
            manifest={manifest.data}
            expiresHeader={getHeader(data?.headers ?? [], 'expires')}
            provider={provider}
            target={target}
            checkedAt={status.dataUpdatedAt}
          />
        ) : (
          <div className="space-y-2">
            <p className="text-xs text-red-700">The job finished, but its manifest is not a Bulk Data manifest:</p>
            <ul className="list-disc pl-5 text-xs text-red-700">
              {manifest.error.issues.map((issue, index) => (
                <li key={index}>
                  <span className="font-mono">{issue.path.map(String).join('.') || '(root)'}</span>: {issue.message}
                </li>
              ))}
            </ul>
            {data && <ResponseBody response={data} />}
          </div>
        ))}
    </div>
  );
}
