'use client';

import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { getEnvironmentRoot, toEnvironmentPath } from '@/lib/api-client/environment-path';
import { formatHeaderLines, getHeader, parseHeaderLines } from '@/lib/api-client/headers';
import { useFhirRequest } from '@/lib/api-client/hooks';
import type { ProviderDto } from '@/lib/api-client/schemas';
import { useState } from 'react';
import { BulkExportCard } from './bulk-export-card';
import type { ActiveBulkJob } from './bulk-job-types';
import { isBulkExportPath } from './fhir-utils';
import { RequestEditor, type FhirMethod } from './request-editor';
import { RequestPresets } from './request-presets';
import { ResponseViewer } from './response-viewer';

type Environment = ProviderDto['environments'][number];

export interface FhirPanelProps {
  provider: ProviderDto;
  environment: Environment;
  /** Whether the session holds a live token for this provider and environment. */
  hasLiveToken: boolean;
}

/** Step 5: send requests through the proxy with the session's token, and follow bulk exports. */
export function FhirPanel({ provider, environment, hasLiveToken }: FhirPanelProps) {
  const first = provider.defaultRequests[0];
  const [presetId, setPresetId] = useState<string | null>(first?.id ?? null);
  const [method, setMethod] = useState<FhirMethod>(first?.method ?? 'GET');
  const [path, setPath] = useState(first?.path ?? '');
  const [headersText, setHeadersText] = useState(formatHeaderLines(first?.headers ?? { Accept: 'application/fhir+json' }));
  const [body, setBody] = useState('');
  const [job, setJob] = useState<ActiveBulkJob | null>(null);
  const send = useFhirRequest();

  const preset = provider.defaultRequests.find((r) => r.id === presetId);
  const presetMatches = preset !== undefined && preset.path === path && preset.method === method;

  const loadPreset = (request: ProviderDto['defaultRequests'][number]) => {
    setPresetId(request.id);
    setMethod(request.method);
    setPath(request.path);
    setHeadersText(formatHeaderLines(request.headers));
    setBody('');
  };

  const sendRequest = () => {
    const trimmed = path.trim();
    if (!trimmed) return;
    const bulk = presetMatches ? preset.bulkExport : method === 'GET' && isBulkExportPath(trimmed);
    const environmentId = environment.id;
    send.mutate(
      {
        providerId: provider.id,
        request: {
          environmentId,
          method,
          path: trimmed,
          headers: parseHeaderLines(headersText),
          body: method === 'POST' && body ? body : undefined,
        },
      },
      {
        onSuccess: (response) => {
          if (!bulk || response.status !== 202) return;
          const contentLocation = getHeader(response.headers, 'content-location') ?? null;
          setJob({
            kickoffExchangeId: response.exchangeId,
            kickoffPath: trimmed,
            environmentId,
            contentLocation,
            jobPath: contentLocation ? toEnvironmentPath(contentLocation, environment) : null,
            startedAt: Date.now(),
          });
        },
      },
    );
  };

  return (
    <>
      <Card
        data-testid="fhir-panel"
        step={5}
        title="Send a FHIR request"
        description={
          <>
            Through the server, to <span className="font-mono">{environment.fhirBaseUrl}</span>
          </>
        }
      >
        {!hasLiveToken && (
          <p className="mb-3 rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 text-xs text-zinc-600">
            No live token for this environment yet: requests that need one will answer 401. The CapabilityStatement
            needs none.
          </p>
        )}
        <RequestPresets requests={provider.defaultRequests} selectedId={presetMatches ? presetId : null} onSelect={loadPreset} />
        <div className="mt-4">
          <RequestEditor
            method={method}
            path={path}
            headersText={headersText}
            body={body}
            pending={send.isPending}
            basePath={getEnvironmentRoot(environment)}
            onMethodChange={setMethod}
            onPathChange={setPath}
            onHeadersChange={setHeadersText}
            onBodyChange={setBody}
            onSend={sendRequest}
          />
        </div>
        <div className="mt-4 border-t border-zinc-100 pt-4">
          {send.error ? (
            <ApiErrorCard error={send.error} />
          ) : send.data ? (
            <ResponseViewer response={send.data} />
          ) : (
            <EmptyState title={send.isPending ? 'Waiting for the response…' : 'No response yet'}>
              Pick a request above and press Send.
            </EmptyState>
          )}
          {send.data?.status === 202 && job?.kickoffExchangeId === send.data.exchangeId && (
            <p className="mt-2 text-xs text-indigo-700">Export started: the job is followed under Bulk export.</p>
          )}
        </div>
      </Card>
      <BulkExportCard provider={provider} job={job} onDismiss={() => setJob(null)} />
    </>
  );
}
