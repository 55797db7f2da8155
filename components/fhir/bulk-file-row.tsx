'use client';

import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ProgressBar } from '@/components/ui/progress-bar';
import { StatusCode } from '@/components/ui/status-code';
import { saveBlob } from '@/lib/client/bulk-download';
import { getFileName, type ManifestFile } from '@/lib/client/bulk-export';
import type { FlowTarget } from '@/lib/client/effective-flow';
import { toEnvironmentPath } from '@/lib/client/environment-path';
import { useFhirRequest } from '@/lib/client/hooks';
import { useBulkFileDownload } from '@/lib/client/use-bulk-file-download';
import { getDownloadPercent, getTransferRate, type FileDownloadState } from '@/lib/client/bulk/download-machine';
import { useState } from 'react';
import { BulkAnswer } from './bulk-answer';
import { formatBytes, formatDuration } from './fhir-utils';
import { NdjsonPreview } from './ndjson-preview';
import { ResponseBody } from './response-body';

export interface BulkFileRowProps {
  file: ManifestFile;
  providerId: string;
  target: FlowTarget;
  renewToken: () => Promise<void>;
  /** Error files (OperationOutcome) get a warning tone. */
  isError?: boolean;
}

export const PREVIEW_LINES = 20;

/**
 * One manifest file: type, name and count; Preview reads only its first lines, Download streams all of it through
 * the BFF with live counts, then offers Save and the parsed first lines.
 */
export function BulkFileRow({ file, providerId, target, renewToken, isError = false }: BulkFileRowProps) {
  const path = toEnvironmentPath(file.url, target.endpoints);
  const name = getFileName(file.url);
  const download = useBulkFileDownload({ providerId, target, path, previewLines: PREVIEW_LINES, renewToken });
  const peek = useFhirRequest();
  const [peekOpen, setPeekOpen] = useState(false);
  const { state } = download;
  const busy = state.phase === 'downloading' || state.phase === 'renewing';
  const downloadLabel = state.phase === 'idle' ? 'Download' : state.phase === 'interrupted' ? 'Retry' : 'Download again';

  const loadPeek = () => {
    if (!path) return;
    setPeekOpen(true);
    peek.mutate({
      providerId,
      request: {
        environmentId: target.environmentId,
        presetId: target.presetId,
        method: 'GET',
        path,
        headers: { Accept: 'application/fhir+ndjson' },
        previewLines: PREVIEW_LINES,
      },
    });
  };

  const startDownload = () => {
    setPeekOpen(false);
    download.start();
  };

  return (
    <li data-testid={isError ? 'bulk-error-file' : 'bulk-file'} data-download={state.phase} className="space-y-2 px-3 py-2">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={isError ? 'amber' : 'indigo'}>{file.type}</Badge>
        <span className="min-w-0 flex-1 truncate font-mono text-xs text-zinc-700" title={file.url}>
          {name}
        </span>
        {file.count !== undefined && (
          <span className="text-xs text-zinc-600 tabular-nums">{file.count.toLocaleString('en-US')} resources</span>
        )}
        {!path && <span className="text-xs text-red-700">URL outside this environment: the console will not fetch it.</span>}
        {peekOpen && !peek.isPending && (peek.data || peek.error) && (
          <Button size="xs" variant="ghost" onClick={() => setPeekOpen(false)} aria-label={`Hide the preview of ${name}`}>
            Hide
          </Button>
        )}
        <Button
          size="xs"
          variant="ghost"
          onClick={loadPeek}
          pending={peek.isPending}
          disabled={!path || busy}
          title={`Reads only the first ${PREVIEW_LINES} lines, then stops the stream`}
          aria-label={`Preview ${name}`}
        >
          Preview
        </Button>
        {busy ? (
          <Button size="xs" variant="danger" onClick={download.cancel} disabled={state.phase === 'renewing'} aria-label={`Cancel download of ${name}`}>
            Cancel
          </Button>
        ) : (
          <Button
            size="xs"
            onClick={startDownload}
            disabled={!path}
            title={path ? `Streams ${path} through the console’s server` : undefined}
            aria-label={`${downloadLabel} ${name}`}
          >
            {downloadLabel}
          </Button>
        )}
        {state.phase === 'done' && download.file?.blob && (
          <Button
            size="xs"
            variant="primary"
            onClick={() => download.file?.blob && saveBlob(download.file.blob, name)}
            title="Saves the downloaded bytes as a file; nothing is fetched again"
            aria-label={`Save ${name}`}
          >
            Save
          </Button>
        )}
      </div>

      <DownloadStatus state={state} manifestCount={file.count} fileKept={download.file ? download.file.blob !== null : true} />

      {state.phase === 'done' && download.file && !peekOpen && (
        <NdjsonPreview
          ndjson={{
            lines: download.file.tally.preview,
            linesShown: download.file.tally.preview.length,
            bytesRead: download.file.tally.bytes,
            truncated: download.file.tally.resources > download.file.tally.preview.length,
          }}
          totalLines={download.file.tally.resources}
        />
      )}

      {peekOpen && (
        <div>
          {peek.error && <ApiErrorCard error={peek.error} />}
          {peek.data && !peek.isPending && (
            <div className="space-y-2">
              {(peek.data.status !== 200 || peek.data.bodyKind !== 'ndjson') && (
                <p className="flex items-center gap-2 text-xs text-zinc-600">
                  <StatusCode status={peek.data.status} text={peek.data.statusText} />
                  {peek.data.contentType}
                </p>
              )}
              {peek.data.bodyKind === 'ndjson' && peek.data.ndjson ? (
                <NdjsonPreview ndjson={peek.data.ndjson} />
              ) : (
                <ResponseBody response={peek.data} />
              )}
            </div>
          )}
        </div>
      )}
    </li>
  );
}

function formatRate(bytesPerSecond: number | null): string {
  return bytesPerSecond === null ? '–' : `${(bytesPerSecond / (1024 * 1024)).toFixed(bytesPerSecond < 10 * 1024 * 1024 ? 2 : 1)} MB/s`;
}

interface DownloadStatusProps {
  state: FileDownloadState;
  manifestCount: number | undefined;
  /** False when the file was too big to keep in the page for Save. */
  fileKept: boolean;
}

function DownloadStatus({ state, manifestCount, fileKept }: DownloadStatusProps) {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'downloading': {
      const percent = getDownloadPercent(state, manifestCount);
      return (
        <div className="space-y-1" role="status">
          <ProgressBar value={percent} label="Download progress" data-testid="bulk-download-progress" />
          <Stats state={state} percent={percent} />
        </div>
      );
    }
    case 'done':
      return (
        <div className="space-y-1">
          <Stats state={state} percent={100} />
          {state.renewed && (
            <p className="text-xs text-sky-800">
              The first try answered 401 (token expired); this download ran on a new token of the same credential set.
            </p>
          )}
          {!fileKept && <p className="text-xs text-zinc-600">Too big to keep in this page for Save; counted and previewed only.</p>}
        </div>
      );
    case 'interrupted':
      return (
        <div role="alert" className="space-y-1 rounded-lg border border-amber-200 bg-amber-50/60 px-3 py-2 text-xs text-amber-900">
          <p className="font-semibold">Download interrupted.</p>
          <p>{state.message} Retry downloads the file again from the start.</p>
          <Stats state={state} percent={null} />
        </div>
      );
    case 'cancelled':
      return (
        <p className="text-xs text-zinc-600" role="status">
          Cancelled after {formatBytes(state.bytes)} and {state.resources.toLocaleString('en-US')} resources.
        </p>
      );
    case 'renewing':
      return (
        <p className="text-xs text-amber-800" role="status">
          The file answered 401: the token has expired. Getting a new one for the same credential set, then downloading
          again…
        </p>
      );
    case 'token-expired':
      return (
        <BulkAnswer what="The file" answer={state.answer}>
          {state.message}
        </BulkAnswer>
      );
    case 'failed':
      return state.answer ? (
        <BulkAnswer what="The file" answer={state.answer} tone={state.answer.status >= 500 ? 'red' : 'amber'}>
          {state.message}
        </BulkAnswer>
      ) : (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50/60 px-3 py-2 text-xs text-red-800">
          {state.message}
        </p>
      );
  }
}

function Stats({ state, percent }: { state: Extract<FileDownloadState, { bytes: number }>; percent: number | null }) {
  const elapsed = state.updatedAt - state.startedAt;
  return (
    <p
      data-testid="bulk-download-stats"
      data-bytes={state.bytes}
      data-resources={state.resources}
      className="flex flex-wrap gap-x-3 text-xs text-zinc-600 tabular-nums"
    >
      <span>
        <span className="font-semibold text-zinc-900">{formatBytes(state.bytes)}</span>
        {state.totalBytes !== null && <> of {formatBytes(state.totalBytes)}</>}
      </span>
      <span>
        <span className="font-semibold text-zinc-900">{state.resources.toLocaleString('en-US')}</span> resources
      </span>
      <span>{formatRate(getTransferRate(state))}</span>
      {state.phase === 'done' ? <span>in {formatDuration(elapsed)}</span> : percent !== null && <span>{Math.round(percent)}%</span>}
      {state.phase === 'downloading' && percent === null && <span className="text-zinc-600">size unknown: the server sent no Content-Length</span>}
    </p>
  );
}
