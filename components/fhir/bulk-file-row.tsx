'use client';

import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { StatusCode } from '@/components/ui/status-code';
import { getFileName, type ManifestFile } from '@/lib/api-client/bulk-export';
import { toEnvironmentPath } from '@/lib/api-client/environment-path';
import { useFhirRequest } from '@/lib/api-client/hooks';
import type { FlowTarget } from '@/lib/api-client/effective-flow';
import { useState } from 'react';
import { NdjsonPreview } from './ndjson-preview';
import { ResponseBody } from './response-body';

export interface BulkFileRowProps {
  file: ManifestFile;
  providerId: string;
  target: FlowTarget;
  /** Error files (OperationOutcome) get a warning tone. */
  isError?: boolean;
}

export const PREVIEW_LINES = 20;

/** One manifest file: type, name and a preview of its first lines through the proxy. */
export function BulkFileRow({ file, providerId, target, isError = false }: BulkFileRowProps) {
  const preview = useFhirRequest();
  const [open, setOpen] = useState(false);
  const path = toEnvironmentPath(file.url, target.endpoints);
  const name = getFileName(file.url);

  const load = () => {
    if (!path) return;
    setOpen(true);
    preview.mutate({
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

  return (
    <li data-testid={isError ? 'bulk-error-file' : 'bulk-file'} className="px-3 py-2">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={isError ? 'amber' : 'indigo'}>{file.type}</Badge>
        <span className="min-w-0 flex-1 truncate font-mono text-xs text-zinc-700" title={file.url}>
          {name}
        </span>
        {file.count !== undefined && (
          <span className="text-[11px] text-zinc-500 tabular-nums">{file.count.toLocaleString('en-US')} resources</span>
        )}
        {open && preview.data && !preview.isPending ? (
          <Button size="xs" variant="ghost" onClick={() => setOpen(false)}>
            Hide
          </Button>
        ) : null}
        <Button
          size="xs"
          onClick={load}
          pending={preview.isPending}
          disabled={!path}
          title={path ? `GET ${path}` : 'This URL is outside the environment'}
        >
          {preview.data ? 'Reload' : 'Preview'}
        </Button>
      </div>
      {open && (
        <div className="mt-2">
          {preview.error && <ApiErrorCard error={preview.error} />}
          {preview.data && !preview.isPending && (
            <div className="space-y-2">
              {(preview.data.status !== 200 || preview.data.bodyKind !== 'ndjson') && (
                <p className="flex items-center gap-2 text-xs text-zinc-600">
                  <StatusCode status={preview.data.status} text={preview.data.statusText} />
                  {preview.data.contentType}
                </p>
              )}
              {preview.data.bodyKind === 'ndjson' && preview.data.ndjson ? (
                <NdjsonPreview ndjson={preview.data.ndjson} />
              ) : (
                <ResponseBody response={preview.data} />
              )}
            </div>
          )}
        </div>
      )}
    </li>
  );
}
