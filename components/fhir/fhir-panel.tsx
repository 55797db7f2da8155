'use client';

import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { describeBundle } from '@/lib/api-client/bundle';
import type { FlowTarget } from '@/lib/api-client/effective-flow';
import { getEnvironmentRoot, toEnvironmentPath } from '@/lib/api-client/environment-path';
import { formatHeaderLines, parseHeaderLines } from '@/lib/api-client/headers';
import { useFhirRequest } from '@/lib/api-client/hooks';
import type { ProviderDto } from '@/lib/api-client/schemas';
import { useState } from 'react';
import { BulkExportCard } from './bulk-export-card';
import { toActiveBulkJob, type ActiveBulkJob } from './bulk-job-types';
import { BundlePager } from './bundle-pager';
import { formatRequestBody, isBulkExportPath } from './fhir-utils';
import { RequestEditor, type FhirMethod } from './request-editor';
import { RequestPresets } from './request-presets';
import { ResponseViewer } from './response-viewer';

type DefaultRequest = ProviderDto['defaultRequests'][number];

export interface FhirPanelProps {
  provider: ProviderDto;
  /**
   * Where requests go: the environment, the credential set and its effective endpoints (a preset's flow may live
   * on other paths, e.g. 1upHealth Patient Access under `/r4`). Sent with every request so the proxy picks the same.
   */
  target: FlowTarget;
  /** Whether the session holds a live token for this provider, environment and credential set. */
  hasLiveToken: boolean;
}

/** Step 5: send requests through the proxy with the session's token, page through Bundles, follow bulk exports. */
export function FhirPanel({ provider, target, hasLiveToken }: FhirPanelProps) {
  const first = provider.defaultRequests[0];
  const [presetId, setPresetId] = useState<string | null>(first?.id ?? null);
  const [method, setMethod] = useState<FhirMethod>(first?.method ?? 'GET');
  const [path, setPath] = useState(first?.path ?? '');
  const [headersText, setHeadersText] = useState(formatHeaderLines(first?.headers ?? { Accept: 'application/fhir+json' }));
  const [body, setBody] = useState(() => formatRequestBody(first?.body));
  const [job, setJob] = useState<ActiveBulkJob | null>(null);
  const send = useFhirRequest();

  const preset = provider.defaultRequests.find((r) => r.id === presetId);
  const presetMatches = preset !== undefined && preset.path === path && preset.method === method;

  const loadPreset = (request: DefaultRequest) => {
    setPresetId(request.id);
    setMethod(request.method);
    setPath(request.path);
    setHeadersText(formatHeaderLines(request.headers));
    setBody(formatRequestBody(request.body));
  };

  const sendRequest = (requestMethod: FhirMethod, requestPath: string) => {
    const trimmed = requestPath.trim();
    if (!trimmed) return;
    const bulk =
      presetMatches && preset.path === trimmed && preset.method === requestMethod
        ? preset.bulkExport
        : requestMethod === 'GET' && isBulkExportPath(trimmed);
    const sentTo = target;
    send.mutate(
      {
        providerId: provider.id,
        request: {
          environmentId: sentTo.environmentId,
          presetId: sentTo.presetId,
          method: requestMethod,
          path: trimmed,
          headers: parseHeaderLines(headersText),
          body: requestMethod === 'POST' && body ? body : undefined,
        },
      },
      {
        onSuccess: (response) => {
          if (!bulk || response.status !== 202) return;
          setJob(toActiveBulkJob(response, trimmed, sentTo));
        },
      },
    );
  };

  const requestNextPage = (nextPath: string) => {
    setMethod('GET');
    setPath(nextPath);
    sendRequest('GET', nextPath);
  };

  const bundle = send.data?.bodyKind === 'json' ? describeBundle(send.data.json) : null;

  return (
    <>
      <Card
        data-testid="fhir-panel"
        step={5}
        title="Send a FHIR request"
        description={
          <>
            Through the server, to <span className="font-mono break-all">{target.endpoints.fhirBaseUrl}</span>
          </>
        }
      >
        {!hasLiveToken && (
          <p className="mb-3 rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 text-xs text-zinc-600">
            No live token for this environment and credential set yet: requests that need one will answer 401. The
            CapabilityStatement needs none.
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
            basePath={getEnvironmentRoot(target.endpoints)}
            onMethodChange={setMethod}
            onPathChange={setPath}
            onHeadersChange={setHeadersText}
            onBodyChange={setBody}
            onSend={() => sendRequest(method, path)}
          />
        </div>
        <div className="mt-4 border-t border-zinc-100 pt-4">
          {send.error ? (
            <ApiErrorCard error={send.error} />
          ) : send.data ? (
            <ResponseViewer
              response={send.data}
              toolbar={
                bundle && (
                  <BundlePager
                    bundle={bundle}
                    nextPath={bundle.next ? toEnvironmentPath(bundle.next, target.endpoints) : null}
                    pending={send.isPending}
                    onNext={requestNextPage}
                  />
                )
              }
            />
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
      {(job || provider.bulkExport || provider.defaultRequests.some((request) => request.bulkExport)) && (
        <BulkExportCard provider={provider} target={target} job={job} onStarted={setJob} onDismiss={() => setJob(null)} />
      )}
    </>
  );
}
