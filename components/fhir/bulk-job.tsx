'use client';

import { Button } from '@/components/ui/button';
import type { FlowTarget } from '@/lib/client/effective-flow';
import type { ProviderDto } from '@/lib/contract/schemas';
import { useBulkJob } from '@/lib/client/use-bulk-job';
import { isJobSettled, MAX_POLLS, MAX_TRANSIENT_RETRIES, type JobNote, type JobState } from '@/lib/client/bulk/job-machine';
import { BulkAnswer } from './bulk-answer';
import { BulkManifest } from './bulk-manifest';
import { BulkProgress } from './bulk-progress';
import { Countdown } from './bulk-countdown';
import { OperationOutcome } from './operation-outcome';
import { getOperationOutcomeIssues } from './fhir-utils';

export interface BulkJobProps {
  provider: ProviderDto;
  target: FlowTarget;
  jobPath: string;
  kickoffPath: string;
  startedAt: number;
  renewToken: () => Promise<void>;
}

const tone = {
  polling: 'indigo',
  renewing: 'amber',
  'token-expired': 'amber',
  paused: 'amber',
  cancelling: 'amber',
  completed: 'green',
  cancelled: 'amber',
  expired: 'amber',
  failed: 'red',
} as const satisfies Record<JobState['phase'], string>;

const settledLabel: Partial<Record<JobState['phase'], string>> = {
  cancelled: 'Cancelled',
  expired: 'Expired',
  failed: 'Failed',
  'token-expired': 'Token expired',
  paused: 'Paused',
  cancelling: 'Cancelling…',
  renewing: 'Getting a new token…',
};

/** Follows one job with the job state machine: progress, back-off notes, then the manifest or why it ended. */
export function BulkJob({ provider, target, jobPath, kickoffPath, startedAt, renewToken }: BulkJobProps) {
  const { state, checkNow, cancel } = useBulkJob({ providerId: provider.id, target, jobPath, renewToken });
  const settled = isJobSettled(state);
  const running = state.phase === 'polling' || state.phase === 'paused' || state.phase === 'token-expired';
  const cancelSupport = provider.bulkExport?.cancel ?? { supported: true };
  const label = state.phase === 'polling' || state.phase === 'completed' ? state.progress.label : (settledLabel[state.phase] ?? state.progress.label);

  return (
    <div className="space-y-4" data-testid="bulk-job" data-phase={state.phase}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0 space-y-0.5 font-mono text-xs text-zinc-600">
          <p className="truncate" title={kickoffPath}>
            <span className="font-semibold text-zinc-600">kick-off</span> {kickoffPath}
          </p>
          <p className="truncate" title={jobPath}>
            <span className="font-semibold text-indigo-700">status</span> {jobPath}
          </p>
        </div>
        <div className="flex items-center gap-2">
          {(running || (state.phase === 'failed' && state.retryable)) && (
            <Button size="sm" variant="ghost" onClick={checkNow} disabled={state.inFlight}>
              {state.phase === 'polling' ? 'Check now' : 'Check again'}
            </Button>
          )}
          {running && cancelSupport.supported && (
            <Button size="sm" variant="danger" onClick={cancel} data-testid="bulk-cancel">
              Cancel job
            </Button>
          )}
          {state.phase === 'cancelling' && (
            <Button size="sm" variant="danger" pending data-testid="bulk-cancel">
              Cancelling
            </Button>
          )}
        </div>
      </div>

      <BulkProgress
        progress={{ label, percent: settled ? 100 : state.progress.percent }}
        tone={tone[state.phase]}
        startedAt={startedAt}
        settledAt={settled ? (state.lastCheckedAt ?? startedAt) : null}
        checkedAt={state.lastCheckedAt ?? 0}
        hidePercent={settled && state.phase !== 'completed'}
      />

      {running && !cancelSupport.supported && cancelSupport.note && <p className="text-xs text-zinc-600">{cancelSupport.note}</p>}
      {state.phase === 'polling' && state.note && <JobNoteView note={state.note} nextPollAt={state.nextPollAt} />}
      <PhaseView state={state} provider={provider} target={target} jobPath={jobPath} renewToken={renewToken} />
    </div>
  );
}

function JobNoteView({ note, nextPollAt }: { note: JobNote; nextPollAt: number }) {
  switch (note.kind) {
    case 'rate-limited':
      return (
        <div role="status" data-testid="bulk-job-note" className="rounded-lg border border-amber-200 bg-amber-50/60 px-3 py-2 text-xs text-amber-900">
          <span className="font-semibold">Rate limited (429).</span> The server asked the console to poll less often
          {note.retryAfter ? (
            <>
              {' '}
              (<span className="font-mono">Retry-After: {note.retryAfter}</span>)
            </>
          ) : (
            ' and said not how long; the wait doubles each time'
          )}
          . Next check in <Countdown until={nextPollAt} />.
        </div>
      );
    case 'retrying': {
      const issues = note.answer ? getOperationOutcomeIssues(note.answer.json) : null;
      return (
        <div role="status" data-testid="bulk-job-note" className="space-y-2 rounded-lg border border-amber-200 bg-amber-50/60 px-3 py-2 text-xs text-amber-900">
          <p>
            <span className="font-semibold">
              {note.status === null ? 'Could not reach the provider' : `Server error ${note.status}`} (retry {note.attempt} of {note.of}).
            </span>{' '}
            {note.message} A job survives a passing server error, so the console checks again in <Countdown until={nextPollAt} />.
          </p>
          {issues && <OperationOutcome issues={issues} />}
        </div>
      );
    }
    case 'token-renewed':
      return (
        <p role="status" data-testid="bulk-job-note" className="rounded-lg border border-sky-200 bg-sky-50 px-3 py-2 text-xs text-sky-900">
          The token had expired (401). The console got a new one for the same credential set and goes on polling: the job
          belongs to the client, not to the token.
        </p>
      );
    case 'cancel-refused':
      return (
        <BulkAnswer what="Cancel" answer={note.answer} data-testid="bulk-job-note">
          The job was not cancelled; the console keeps following it.
        </BulkAnswer>
      );
    case 'cancel-failed':
      return (
        <p role="alert" data-testid="bulk-job-note" className="rounded-lg border border-red-200 bg-red-50/60 px-3 py-2 text-xs text-red-800">
          Could not send the cancel: {note.message}
        </p>
      );
  }
}

interface PhaseViewProps {
  state: JobState;
  provider: ProviderDto;
  target: FlowTarget;
  jobPath: string;
  renewToken: () => Promise<void>;
}

function PhaseView({ state, provider, target, jobPath, renewToken }: PhaseViewProps) {
  switch (state.phase) {
    case 'polling':
      return state.polls === 0 ? <p className="text-xs text-zinc-600">Asking for the job’s status…</p> : null;
    case 'renewing':
      return (
        <p role="status" className="text-xs text-amber-800">
          The status check answered 401: the token has expired. Getting a new one for the same credential set…
        </p>
      );
    case 'token-expired':
      return state.answer ? (
        <BulkAnswer what="Job status" answer={state.answer}>
          {state.message}
        </BulkAnswer>
      ) : (
        <p className="text-xs text-amber-800">{state.message}</p>
      );
    case 'paused':
      return (
        <p className="text-xs text-amber-800">
          Stopped after {MAX_POLLS} status checks. The job may still be running: check again to go on.
        </p>
      );
    case 'cancelling':
      return (
        <p role="status" className="font-mono text-xs text-zinc-600">
          DELETE {jobPath} …
        </p>
      );
    case 'cancelled':
      return state.by === 'client' ? (
        <p role="status" data-testid="bulk-cancelled" className="rounded-lg border border-amber-200 bg-amber-50/60 px-3 py-2 text-xs text-amber-900">
          <span className="font-semibold">Cancelled.</span> <span className="font-mono">DELETE {jobPath}</span> answered{' '}
          <span className="font-mono">{state.answer.status}</span>: the server stops the job and writes no files. Polling stopped.
        </p>
      ) : (
        <BulkAnswer what="Job status" answer={state.answer} data-testid="bulk-cancelled">
          The job was cancelled, or the server no longer knows it.
        </BulkAnswer>
      );
    case 'expired':
      return (
        <BulkAnswer what="Job status" answer={state.answer}>
          The job has expired: its files are gone. Start a new export.
        </BulkAnswer>
      );
    case 'failed':
      return (
        <div className="space-y-2" role="alert">
          <p className="text-xs font-medium text-red-800">{state.message}</p>
          {state.reason === 'server-error' && (
            <p className="text-xs text-zinc-600">
              {MAX_TRANSIENT_RETRIES} retries with growing waits all failed. The job may still be fine: check again later.
            </p>
          )}
          {state.issues && (
            <ul className="list-disc pl-5 text-xs text-red-700">
              {state.issues.map((issue, index) => (
                <li key={index}>
                  <span className="font-mono">{issue.path}</span>: {issue.message}
                </li>
              ))}
            </ul>
          )}
          {state.answer && <BulkAnswer what="Job status" answer={state.answer} tone="red" />}
        </div>
      );
    case 'completed':
      return (
        <BulkManifest
          manifest={state.manifest}
          expiresHeader={state.expires}
          provider={provider}
          target={target}
          checkedAt={state.lastCheckedAt ?? 0}
          renewToken={renewToken}
        />
      );
  }
}
